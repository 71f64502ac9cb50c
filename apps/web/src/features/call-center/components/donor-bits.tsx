import type { Offer } from '@engage/contracts';
import { Alert, Anchor, Box, Button, Collapse, Group, Paper, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconCalendarEvent, IconChevronDown, IconChevronRight, IconClock, IconPhone } from '@tabler/icons-react';
import { useNow } from '../../../lib/use-now';
import { agentTimeZone, formatClock, formatDuration, formatWhen } from '../../../lib/time';

/** "+44 20 7946 0958" from E.164 is left to the browser: show as stored, dial with tel:. */
export function PhoneLink({ phone, size = 'lg' }: { phone: string; size?: 'md' | 'lg' | 'xl' }) {
  return (
    <Anchor href={`tel:${phone}`} size={size} fw={600} underline="hover" data-testid="donor-phone">
      <Group gap={6} wrap="nowrap" component="span">
        <IconPhone size={18} />
        {phone}
      </Group>
    </Anchor>
  );
}

/** The donor's local time, ticking, with their zone, and the agent's own time beside it. */
export function DonorLocalTime({ timeZone }: { timeZone: string }) {
  const now = useNow(10_000);
  const mine = agentTimeZone();
  const donorClock = formatClock(new Date(now), timeZone);
  const myClock = formatClock(new Date(now), mine);
  return (
    <Group gap={6} wrap="nowrap" data-testid="donor-local-time" data-time-zone={timeZone}>
      <IconClock size={16} color="var(--mantine-color-dimmed)" />
      <Text size="sm">
        <Text span fw={600}>
          {donorClock}
        </Text>{' '}
        in {timeZone}
        {timeZone !== mine && (
          <Text span c="dimmed">
            {' '}
            · your time {myClock}
          </Text>
        )}
      </Text>
    </Group>
  );
}

/** How long the donor stays held for this agent before going back to the pool. */
export function HoldCountdown({ expiresAt }: { expiresAt: string }) {
  const now = useNow(1000);
  const left = Math.floor((new Date(expiresAt).getTime() - now) / 1000);
  if (left <= 0) {
    return (
      <Text size="sm" c="red.7" fw={500} data-testid="hold-countdown" data-expired>
        Hold ended: start now or skip
      </Text>
    );
  }
  return (
    <Text size="sm" c={left <= 60 ? 'orange.8' : 'dimmed'} data-testid="hold-countdown">
      Held for you for{' '}
      <Text span ff="monospace" fw={600}>
        {formatDuration(left)}
      </Text>
    </Text>
  );
}

/** Last contact in one line, or "Never called". */
export function LastContact({ lastContact }: { lastContact: Offer['lastContact'] }) {
  if (lastContact === null) return <Text size="sm">Never called</Text>;
  const parts = [
    formatWhen(lastContact.at),
    lastContact.endReason,
    lastContact.agentName ? `by ${lastContact.agentName}` : null,
  ];
  return <Text size="sm">{parts.filter((p) => p !== null && p !== '').join(' · ')}</Text>;
}

/** The booked call-back this offer keeps: its time for the agent and for the donor, and notes. */
export function AppointmentBanner({
  appointment,
  donorTimeZone,
}: {
  appointment: NonNullable<Offer['appointment']>;
  donorTimeZone: string;
}) {
  const mine = agentTimeZone();
  return (
    <Alert
      color="grape"
      variant="light"
      icon={<IconCalendarEvent size={20} />}
      title="Call-back booked"
      data-testid="appointment-banner"
    >
      <Text size="sm">
        {formatWhen(appointment.scheduledAt, mine)} your time ({mine})
        {donorTimeZone !== mine &&
          ` · ${formatWhen(appointment.scheduledAt, donorTimeZone)} for the donor (${donorTimeZone})`}
        {' · '}
        {appointment.personal ? 'Personal: booked for you' : 'For anyone in the campaign'}
      </Text>
      {appointment.notes !== '' && (
        <Text size="sm" mt={4} fs="italic">
          “{appointment.notes}”
        </Text>
      )}
    </Alert>
  );
}

/** The campaign script, folded away until the agent wants it. */
export function CampaignScript({ script, defaultOpen = false }: { script: string; defaultOpen?: boolean }) {
  const [opened, { toggle }] = useDisclosure(defaultOpen);
  if (script.trim() === '') return null;
  return (
    <Paper withBorder radius="md" p="xs" bg="gray.0" data-testid="campaign-script">
      <Button
        variant="subtle"
        color="gray"
        size="compact-sm"
        onClick={toggle}
        leftSection={opened ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
        aria-expanded={opened}
      >
        {opened ? 'Hide script' : 'Show script'}
      </Button>
      <Collapse expanded={opened}>
        <Box px="xs" pt="xs">
          {script.split(/\n{2,}/).map((paragraph, index) => (
            <Text key={index} size="sm" mb="xs" style={{ whiteSpace: 'pre-line' }}>
              {paragraph}
            </Text>
          ))}
        </Box>
      </Collapse>
    </Paper>
  );
}
