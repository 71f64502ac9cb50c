import { campaignPurposeLabels, type Offer } from '@engage/contracts';
import { Badge, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconInfoCircle, IconPhoneCall, IconPlayerSkipForward } from '@tabler/icons-react';
import { useDialer } from '../hooks/dialer-context';
import { useShortcuts } from '../hooks/use-shortcut';
import { useStartCall } from '../hooks/use-shift';
import { useSoftphone } from '../softphone/softphone-context';
import { AppointmentBanner, CampaignScript, DonorLocalTime, HoldCountdown, LastContact, PhoneLink } from './donor-bits';
import { ShortcutHint } from './shortcut-hint';
import { SkipModal } from './skip-modal';

function Fact({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <div data-testid={testId}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} lts={0.3} mb={2}>
        {label}
      </Text>
      {children}
    </div>
  );
}

/** The donor offered to the agent (previewing): who, why, when last called; Start Call or Skip. */
export function DonorCard({ offer }: { offer: Offer }) {
  const dialer = useDialer();
  const { phone } = useSoftphone();
  // With a softphone, Start Call also rings the donor (the call record opens first, so the
  // signalling is recorded on it); without one, the agent dials from the phone number link.
  const startCall = useStartCall(
    () => void dialer.requestNext(),
    (call) => phone?.dial(call.id, call.phoneDialled ?? offer.donor.phone),
  );
  const [skipOpened, skipModal] = useDisclosure(false);
  const busy = startCall.isPending || dialer.nextPending;

  const start = () => {
    if (!busy) startCall.mutate(offer.id);
  };
  const skip = () => {
    if (!busy) skipModal.open();
  };
  useShortcuts(
    [
      ['s', start],
      ['k', skip],
    ],
    !skipOpened && !dialer.overlayOpen,
  );

  return (
    <Card withBorder radius="md" padding="xl" data-testid="donor-card" data-offer-id={offer.id}>
      <Stack gap="lg">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Stack gap={6} style={{ minWidth: 0 }}>
            <Group gap="sm" wrap="nowrap">
              <Badge variant="light" color="gray" size="md">
                {offer.campaign.name}
              </Badge>
              {campaignPurposeLabels[offer.campaign.purpose].toLowerCase() !== offer.campaign.name.toLowerCase() && (
                <Text size="xs" c="dimmed">
                  {campaignPurposeLabels[offer.campaign.purpose]}
                </Text>
              )}
            </Group>
            <Title order={2} fz={34} lh={1.15} data-testid="donor-name">
              {offer.donor.name}
            </Title>
            <Group gap="lg" wrap="wrap">
              <Text size="md" c="dimmed" ff="monospace" data-testid="donor-reference">
                {offer.donor.reference}
              </Text>
              <PhoneLink phone={offer.donor.phone} />
            </Group>
            <DonorLocalTime timeZone={offer.donor.timeZone} />
          </Stack>
          <Stack gap="xs" align="flex-end" style={{ flexShrink: 0 }}>
            <HoldCountdown expiresAt={offer.expiresAt} />
            <Group gap="sm" wrap="nowrap">
              <Button
                variant="default"
                size="lg"
                leftSection={<IconPlayerSkipForward size={20} />}
                rightSection={<ShortcutHint keyLabel="K" />}
                onClick={skip}
                disabled={busy}
                aria-keyshortcuts="K"
                data-testid="skip"
              >
                Skip
              </Button>
              <Button
                size="lg"
                color="green.8"
                leftSection={<IconPhoneCall size={20} />}
                rightSection={<ShortcutHint keyLabel="S" />}
                onClick={start}
                loading={startCall.isPending}
                disabled={dialer.nextPending}
                aria-keyshortcuts="S"
                data-testid="start-call"
              >
                Start Call
              </Button>
            </Group>
          </Stack>
        </Group>

        <Group gap="xs" wrap="nowrap" align="flex-start" data-testid="donor-why">
          <IconInfoCircle size={20} color="var(--mantine-color-blue-7)" style={{ flexShrink: 0, marginTop: 2 }} />
          <Text size="md" fw={500}>
            {offer.why}
          </Text>
        </Group>

        {offer.appointment && (
          <AppointmentBanner appointment={offer.appointment} donorTimeZone={offer.donor.timeZone} />
        )}

        <SimpleGrid cols={2} spacing="lg">
          <Fact label="Attempts" testId="donor-attempts">
            <Text size="sm">
              {offer.attempts} of {offer.maxAttempts}
            </Text>
          </Fact>
          <Fact label="Last contact" testId="donor-last-contact">
            <LastContact lastContact={offer.lastContact} />
          </Fact>
        </SimpleGrid>

        <CampaignScript script={offer.campaign.script} />
      </Stack>
      <SkipModal offer={offer} opened={skipOpened} onClose={skipModal.close} />
    </Card>
  );
}
