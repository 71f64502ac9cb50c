import { campaignNeedsLists, campaignPurposeLabels, type Campaign, type CampaignStatus } from '@engage/contracts';
import { Alert, Anchor, Badge, Button, Grid, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { PageHeader } from '../../../components/page-header';
import { isApiError } from '../../../lib/api-error';
import { ConfirmModal } from '../../../components/confirm-modal';
import { AuditTrail } from '../../audit/components/audit-trail';
import { useImport } from '../../lists/api/lists-api';
import { ImportProgress } from '../../lists/components/import-wizard';
import { useTeams } from '../../teams/api/teams-api';
import { campaignQueryKey, useCampaign, useSetCampaignStatus, useSetCampaignTeams } from '../api/campaigns-api';
import { statusColors, statusLabels, transitionAction } from '../utils/labels';
import { CampaignListsCard } from './campaign-lists-card';
import { CampaignProgressCard } from './campaign-progress-card';
import { CampaignSettingsForm } from './campaign-settings-form';
import { MultiSelectField } from '../../../components/multi-select-field';

/** One campaign: its settings, status, teams, connected lists, live progress and who changed what. */
export function CampaignPage() {
  const params = useParams();
  const id = Number(params.campaignId);
  const campaign = useCampaign(id);
  const [search] = useSearchParams();
  const importParam = Number(search.get('import'));
  const importId = Number.isInteger(importParam) && importParam > 0 ? importParam : null;

  const back = (
    <Anchor component={Link} to="/manager/campaigns" size="sm">
      <Group gap={4}>
        <IconArrowLeft size={14} /> All campaigns
      </Group>
    </Anchor>
  );

  if (
    !Number.isInteger(id) ||
    id <= 0 ||
    (campaign.isError && isApiError(campaign.error) && campaign.error.status === 404)
  ) {
    return (
      <>
        <PageHeader title="Campaign not found" />
        <Alert color="yellow" mb="md" data-testid="campaign-not-found">
          There is no such campaign among those of the teams you lead.
        </Alert>
        {back}
      </>
    );
  }
  if (campaign.isError) {
    return (
      <Alert color="red" title="The campaign could not be loaded">
        {campaign.error.message}
      </Alert>
    );
  }
  if (!campaign.data) return <Loader />;
  const c = campaign.data;

  return (
    <>
      {back}
      <Group gap="sm" mt="xs" align="baseline">
        <PageHeader title={c.name} description={campaignPurposeLabels[c.purpose]} />
        <Badge color={statusColors[c.status]} variant="light" size="lg" data-testid="campaign-status-badge">
          {statusLabels[c.status]}
        </Badge>
      </Group>
      <StatusActions campaign={c} />
      {importId !== null && <ImportCard importId={importId} campaignId={c.id} />}
      <Grid gap="md" mt="md">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="md">
            <CampaignSettingsForm key={c.id} campaign={c} />
            <Paper withBorder p="md" radius="md" data-testid="campaign-history">
              <Title order={2} size="h4" mb="sm">
                History
              </Title>
              <AuditTrail entityType="campaign" entityId={c.id} />
            </Paper>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="md">
            <CampaignProgressCard campaign={c} />
            <TeamsCard key={c.teams.map((t) => t.id).join(',')} campaign={c} />
            <CampaignListsCard campaign={c} />
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}

/**
 * One button per status the campaign may move to now; finishing asks first, and so does pausing
 * while agents are calling for it (the count read from the server at the click).
 */
function StatusActions({ campaign }: { campaign: Campaign }) {
  const setStatus = useSetCampaignStatus(campaign.id);
  const fresh = useCampaign(campaign.id);
  const [finishing, setFinishing] = useState(false);
  const [checking, setChecking] = useState(false);
  /** Agents calling for it when Pause was clicked: the question is open while this is set. */
  const [pausingWith, setPausingWith] = useState<number | null>(null);
  const move = (to: CampaignStatus) => {
    const action = transitionAction(campaign.status, to);
    setStatus.mutate(
      { status: to, message: action.done },
      {
        onSuccess: () => {
          setFinishing(false);
          setPausingWith(null);
        },
      },
    );
  };
  const askPause = async () => {
    setChecking(true);
    const now = await fresh.refetch();
    setChecking(false);
    const calling = (now.data ?? campaign).agentsCalling;
    if (calling > 0) setPausingWith(calling);
    else move('paused');
  };
  const click = (to: CampaignStatus) => {
    if (to === 'finished') setFinishing(true);
    else if (to === 'paused') void askPause();
    else move(to);
  };
  if (campaign.allowedTransitions.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="campaign-status-none">
        This campaign is finished: its records stay, and it can no longer be called.
      </Text>
    );
  }
  return (
    <Paper withBorder p="sm" radius="md">
      <Group gap="sm">
        <Text size="sm" c="dimmed">
          {campaign.status === 'draft' &&
            (campaignNeedsLists(campaign.purpose)
              ? 'Draft: agents cannot pick it yet. Connect a list and attach a team, then activate it.'
              : 'Draft: agents cannot pick it yet. Attach a team, then activate it.')}
          {campaign.status === 'active' && 'Active: agents of its teams are calling.'}
          {campaign.status === 'paused' && 'Paused: agents cannot pick it until you resume it.'}
        </Text>
        {campaign.allowedTransitions.map((to) => {
          const action = transitionAction(campaign.status, to);
          return (
            <Button
              key={to}
              size="xs"
              color={action.color}
              variant={to === 'finished' ? 'outline' : 'filled'}
              loading={(setStatus.isPending && setStatus.variables.status === to) || (to === 'paused' && checking)}
              onClick={() => click(to)}
              data-testid={action.testId}
            >
              {action.label}
            </Button>
          );
        })}
      </Group>
      <ConfirmModal
        opened={finishing}
        title={`Finish ${campaign.name}?`}
        confirmLabel="Finish campaign"
        loading={setStatus.isPending}
        onClose={() => setFinishing(false)}
        onConfirm={() => move('finished')}
        testId="campaign-status-finish"
      >
        Agents can no longer call for it, and a finished campaign cannot be started again. Its calls and records stay.
      </ConfirmModal>
      <ConfirmModal
        opened={pausingWith !== null}
        title={`${pausingWith === 1 ? '1 agent is' : `${pausingWith ?? 0} agents are`} calling for this campaign now. Pause it?`}
        confirmLabel="Pause campaign"
        color="yellow"
        loading={setStatus.isPending}
        onClose={() => setPausingWith(null)}
        onConfirm={() => move('paused')}
        testId="campaign-status-pause"
      >
        They get Out of Data at their next donor. You can resume the campaign at any time.
      </ConfirmModal>
    </Paper>
  );
}

/** The teams that work the campaign; a manager changes only the teams they lead. */
function TeamsCard({ campaign }: { campaign: Campaign }) {
  const teams = useTeams();
  const save = useSetCampaignTeams(campaign.id);
  const [value, setValue] = useState<string[]>(campaign.teams.map((t) => String(t.id)));
  const options = new Map<string, { label: string; disabled: boolean }>();
  for (const t of campaign.teams) options.set(String(t.id), { label: t.name, disabled: !t.managed });
  for (const t of teams.data ?? []) options.set(String(t.id), { label: t.name, disabled: false });
  const saved = campaign.teams
    .map((t) => String(t.id))
    .sort()
    .join(',');
  const changed = [...value].sort().join(',') !== saved;

  return (
    <Paper withBorder p="md" radius="md" data-testid="campaign-teams">
      <Title order={2} size="h4" mb="sm">
        Teams
      </Title>
      <MultiSelectField
        data={[...options].map(([v, o]) => ({ value: v, label: o.label, disabled: o.disabled }))}
        value={value}
        onChange={setValue}
        placeholder={value.length === 0 ? 'Choose the teams that work this campaign' : undefined}
        description="Agents of these teams can call for the campaign. Teams led by someone else stay as they are."
        searchable
        aria-label="Teams"
        data-testid="campaign-team-select"
      />
      <Group justify="flex-end" mt="sm">
        <Button
          size="xs"
          disabled={!changed}
          loading={save.isPending}
          onClick={() => save.mutate(value.map(Number))}
          data-testid="campaign-teams-save"
        >
          Save teams
        </Button>
      </Group>
    </Paper>
  );
}

/**
 * The import a "New campaign from a file" started (`?import=` in the address): its progress and
 * summary, as the list's import shows them; the campaign's counts are read again when it ends.
 */
function ImportCard({ importId, campaignId }: { importId: number; campaignId: number }) {
  const imp = useImport(importId);
  const queryClient = useQueryClient();
  const status = imp.data?.status;
  useEffect(() => {
    if (status === 'done' || status === 'failed') {
      void queryClient.invalidateQueries({ queryKey: campaignQueryKey(campaignId) });
    }
  }, [status, campaignId, queryClient]);
  if (!imp.data) return null;
  return (
    <Paper withBorder p="md" radius="md" mt="md" data-testid="campaign-import">
      <Title order={2} size="h4" mb="sm">
        Import of {imp.data.fileName}
      </Title>
      <ImportProgress importId={importId} listId={imp.data.listId} />
    </Paper>
  );
}
