import { campaignPurposeLabels, type MyCampaign, type Shift } from '@engage/contracts';
import { Alert, Button, Group, Loader, Modal, Select, Stack, Text } from '@mantine/core';
import { IconAlertCircle, IconPhoneCall, IconPhoneIncoming, IconUsersGroup } from '@tabler/icons-react';
import { useState } from 'react';
import { isApiError } from '../../../lib/api-error';
import { useDialer } from '../hooks/dialer-context';
import { useMyCampaigns } from '../hooks/use-reference-data';
import { useSetReady } from '../hooks/use-shift';
import { weekSummary } from '../../../components/calling-hours-display';

interface TeamOption {
  id: number;
  name: string;
}

function teamsOf(campaigns: readonly MyCampaign[]): TeamOption[] {
  const teams = new Map<number, string>();
  for (const campaign of campaigns) teams.set(campaign.teamId, campaign.teamName);
  return [...teams].map(([id, name]) => ({ id, name }));
}

function callingHours(campaign: MyCampaign): string {
  const week = weekSummary(campaign.weekdayHours);
  return week === 'any hour' ? 'calls at any hour' : `calls ${week} in the donor's local time`;
}

function introText(state: Shift['state']): string {
  switch (state) {
    case 'out_of_data':
      return 'Choose another campaign to keep calling.';
    case 'ready':
      return 'Ready for Call gets your next donor. You can change team or campaign first.';
    case 'signed_in':
    case 'previewing':
    case 'on_call':
    case 'on_break':
      return 'Choose the team and campaign you are calling for, then get your first donor.';
  }
}

/** The dialer popup's frame: it stays open, and cannot be closed, while Ready is being set. */
function DialerFrame({
  opened,
  busy,
  onClose,
  children,
}: {
  opened: boolean;
  busy: boolean;
  onClose: () => void;
  children: React.ReactNode;
}) {
  return (
    <Modal
      opened={opened || busy}
      onClose={busy ? () => undefined : onClose}
      title={
        <Text fw={650} size="lg">
          Dialer
        </Text>
      }
      centered
      size="md"
      closeOnClickOutside={false}
    >
      <Stack gap="lg" data-testid="dialer-modal">
        {children}
      </Stack>
    </Modal>
  );
}

/**
 * The dialer under a job role that takes inbound calls only: no team or campaign to choose, and no
 * donor; Ready for inbound calls, then calls to the agent's lines ring.
 */
function InboundOnlyDialer({ shift, opened, onClose }: { shift: Shift; opened: boolean; onClose: () => void }) {
  const ready = useSetReady();
  return (
    <DialerFrame opened={opened} busy={ready.isPending} onClose={onClose}>
      <Text size="sm" c="dimmed" data-testid="inbound-only-intro">
        Your job role {shift.jobRole.name} takes inbound calls only: there is no team or campaign to choose, and no
        donor is offered to you. When you are ready, calls to your lines ring here.
      </Text>
      <Group justify="flex-end">
        <Button
          size="md"
          leftSection={<IconPhoneIncoming size={18} />}
          loading={ready.isPending}
          onClick={() => ready.mutate({})}
          data-testid="ready-for-inbound"
        >
          Ready for inbound calls
        </Button>
      </Group>
    </DialerFrame>
  );
}

/**
 * The dialer popup: choose a team and one of its campaigns, then Ready for Call asks for the
 * first donor. The popup stays open until the donor (or Out of Data) arrives. Under a job role
 * that takes inbound calls only: Ready for inbound calls (InboundOnlyDialer).
 */
export function DialerModal(props: { shift: Shift; opened: boolean; onClose: () => void }) {
  return props.shift.jobRole.takes.outbound ? <OutboundDialer {...props} /> : <InboundOnlyDialer {...props} />;
}

function OutboundDialer({ shift, opened, onClose }: { shift: Shift; opened: boolean; onClose: () => void }) {
  const myCampaigns = useMyCampaigns();
  const ready = useSetReady();
  const dialer = useDialer();
  const [busy, setBusy] = useState(false);
  const campaigns = myCampaigns.data ?? [];
  const teams = teamsOf(campaigns);

  const [teamChoice, setTeamChoice] = useState<string | null>(null);
  const [campaignChoice, setCampaignChoice] = useState<string | null>(null);
  // Defaults: the team and campaign of the shift, or the only team / only campaign there is.
  const defaultTeam =
    shift.team && teams.some((t) => t.id === shift.team?.id)
      ? shift.team.id
      : teams.length === 1
        ? teams[0]?.id
        : undefined;
  const teamId = teamChoice ?? (defaultTeam !== undefined ? String(defaultTeam) : null);
  const teamCampaigns = campaigns.filter((c) => String(c.teamId) === teamId);
  const defaultCampaign =
    teamChoice === null && shift.campaign && teamCampaigns.some((c) => c.campaignId === shift.campaign?.id)
      ? shift.campaign.id
      : teamCampaigns.length === 1
        ? teamCampaigns[0]?.campaignId
        : undefined;
  const campaignId =
    campaignChoice !== null && teamCampaigns.some((c) => String(c.campaignId) === campaignChoice)
      ? campaignChoice
      : defaultCampaign !== undefined
        ? String(defaultCampaign)
        : null;
  const campaign = teamCampaigns.find((c) => String(c.campaignId) === campaignId);

  async function handleReady() {
    if (!campaign) return;
    setBusy(true);
    try {
      await ready.mutateAsync({ teamId: campaign.teamId, campaignId: campaign.campaignId });
      await dialer.requestNext();
    } catch {
      // The error has been shown as a popup; the agent stays in the dialer to try again.
    } finally {
      setBusy(false);
    }
  }

  const working = busy || ready.isPending;

  function content() {
    if (myCampaigns.isPending) {
      return (
        <Group justify="center" py="lg">
          <Loader size="sm" aria-label="Loading your campaigns" />
        </Group>
      );
    }
    if (myCampaigns.isError) {
      return (
        <Alert
          color="red"
          variant="light"
          icon={<IconAlertCircle size={18} />}
          title="Your campaigns could not be loaded"
        >
          {isApiError(myCampaigns.error) ? myCampaigns.error.message : 'Reload the page and try again.'}
        </Alert>
      );
    }
    if (campaigns.length === 0) {
      return (
        <Alert
          color="yellow"
          variant="light"
          icon={<IconUsersGroup size={18} />}
          title="No campaign to call for"
          data-testid="no-campaigns"
        >
          You are not in any team that is working an active campaign, so there is nobody to call yet. Ask your manager
          to add you to a team, or to connect your team to an active campaign.
        </Alert>
      );
    }
    return (
      <Stack gap="md">
        <Select
          label="Team"
          placeholder="Choose your team"
          data={teams.map((t) => ({ value: String(t.id), label: t.name }))}
          value={teamId}
          onChange={(value) => {
            setTeamChoice(value);
            setCampaignChoice(null);
          }}
          allowDeselect={false}
          disabled={working}
          data-testid="team-select"
        />
        <Select
          label="Campaign"
          placeholder={teamId === null ? 'Choose a team first' : 'Choose a campaign'}
          data={teamCampaigns.map((c) => ({ value: String(c.campaignId), label: c.campaignName }))}
          value={campaignId}
          onChange={setCampaignChoice}
          allowDeselect={false}
          disabled={working || teamId === null}
          description={campaign ? `${campaignPurposeLabels[campaign.purpose]} · ${callingHours(campaign)}` : undefined}
          data-testid="campaign-select"
        />
      </Stack>
    );
  }

  return (
    <DialerFrame opened={opened} busy={working} onClose={onClose}>
      {campaigns.length > 0 && (
        <Text size="sm" c="dimmed">
          {introText(shift.state)}
        </Text>
      )}
      {content()}
      <Group justify="flex-end">
        <Button
          size="md"
          leftSection={<IconPhoneCall size={18} />}
          disabled={!campaign}
          loading={working}
          onClick={() => void handleReady()}
          data-testid="ready-for-call"
        >
          Ready for Call
        </Button>
      </Group>
    </DialerFrame>
  );
}
