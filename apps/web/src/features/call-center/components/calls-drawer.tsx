import type { Appointment, Call, CallScope } from '@engage/contracts';
import { Alert, Badge, Center, Drawer, Loader, ScrollArea, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { isApiError } from '../../../lib/api-error';
import { useCurrentUser } from '../../../lib/session';
import { useMyAppointments, useMyCalls } from '../hooks/use-my-work';
import { agentTimeZone, formatDateTime, formatDuration, formatWhen } from '../../../lib/time';
import { callLineLabel } from '../../../lib/call-line';

const SCOPES: readonly { value: CallScope; label: string }[] = [
  { value: 'shift', label: 'This shift' },
  { value: 'today', label: 'Today' },
  { value: 'all', label: 'All' },
];

function LoadError({ error }: { error: Error }) {
  return (
    <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />}>
      {isApiError(error) ? error.message : 'This could not be loaded. Close and open it again.'}
    </Alert>
  );
}

function Loading() {
  return (
    <Center py="lg">
      <Loader size="sm" />
    </Center>
  );
}

function CallsTable({ scope }: { scope: CallScope }) {
  const calls = useMyCalls(scope, true);
  if (calls.isPending) return <Loading />;
  if (calls.isError) return <LoadError error={calls.error} />;
  const rows: Call[] = [...calls.data].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  if (rows.length === 0) {
    return (
      <Text c="dimmed" size="sm" py="md" data-testid="calls-list" data-count={0}>
        No calls {scope === 'shift' ? 'in this shift' : scope === 'today' ? 'today' : ''} yet.
      </Text>
    );
  }
  return (
    <Table fz="sm" verticalSpacing={6} striped data-testid="calls-list" data-count={rows.length}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Time</Table.Th>
          <Table.Th>Donor</Table.Th>
          <Table.Th>Campaign</Table.Th>
          <Table.Th ta="right">Duration</Table.Th>
          <Table.Th>Softphone</Table.Th>
          <Table.Th>End reason</Table.Th>
          <Table.Th>Notes</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((call) => (
          <Table.Tr key={call.id} data-testid="call-row" data-call-id={call.id}>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatWhen(call.startedAt)}</Table.Td>
            <Table.Td>
              <Text size="sm" fw={500}>
                {call.donorName}
              </Text>
              <Text size="xs" c="dimmed" ff="monospace">
                {call.donorReference}
              </Text>
            </Table.Td>
            <Table.Td>{call.campaignName ?? (call.direction === 'inbound' ? 'Inbound' : '—')}</Table.Td>
            <Table.Td ta="right" ff="monospace">
              {call.durationSeconds !== null ? formatDuration(call.durationSeconds) : 'Open'}
            </Table.Td>
            <Table.Td data-testid="call-signalling" data-cause={call.signalling?.hangupCause ?? undefined}>
              {callLineLabel(call.signalling)}
            </Table.Td>
            <Table.Td>
              {call.endReason?.name ?? (
                <Badge color="green" variant="light">
                  On call
                </Badge>
              )}
            </Table.Td>
            <Table.Td maw={220}>
              <Text size="sm" lineClamp={2} title={call.notes}>
                {call.notes || '—'}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

const STATUS_COLORS = { scheduled: 'blue.7', done: 'teal.8', missed: 'orange.8', cancelled: 'dimmed' } as const;
const STATUS_LABELS = { scheduled: 'Scheduled', done: 'Done', missed: 'Missed', cancelled: 'Cancelled' } as const;

/** Upcoming (scheduled, not yet due) soonest first; then the rest, latest first. */
function sortAppointments(items: readonly Appointment[], now: number): Appointment[] {
  const upcoming = (a: Appointment) => a.status === 'scheduled' && new Date(a.scheduledAt).getTime() >= now;
  return [...items].sort((a, b) => {
    const ua = upcoming(a);
    const ub = upcoming(b);
    if (ua !== ub) return ua ? -1 : 1;
    return ua ? a.scheduledAt.localeCompare(b.scheduledAt) : b.scheduledAt.localeCompare(a.scheduledAt);
  });
}

function AppointmentsTable() {
  const appointments = useMyAppointments(true);
  const userId = useCurrentUser().id;
  const [now] = useState(() => Date.now());
  if (appointments.isPending) return <Loading />;
  if (appointments.isError) return <LoadError error={appointments.error} />;
  const mine = agentTimeZone();
  const rows = sortAppointments(appointments.data, now);
  if (rows.length === 0) {
    return (
      <Text c="dimmed" size="sm" data-testid="appointments-list" data-count={0}>
        No call-backs booked.
      </Text>
    );
  }
  return (
    <Table fz="sm" verticalSpacing={6} data-testid="appointments-list" data-count={rows.length}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Your time</Table.Th>
          <Table.Th>Donor’s time</Table.Th>
          <Table.Th>Donor</Table.Th>
          <Table.Th>Campaign</Table.Th>
          <Table.Th>For</Table.Th>
          <Table.Th>Status</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((a) => (
          <Table.Tr key={a.id} data-testid="appointment-row" data-appointment-id={a.id}>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(a.scheduledAt, mine)}</Table.Td>
            <Table.Td>
              <Text size="sm">{formatDateTime(a.scheduledAt, a.donorTimeZone)}</Text>
              <Text size="xs" c="dimmed">
                {a.donorTimeZone}
              </Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm" fw={500}>
                {a.donorName}
              </Text>
              <Text size="xs" c="dimmed" ff="monospace">
                {a.donorReference}
              </Text>
              {a.notes !== '' && (
                <Text size="xs" fs="italic" lineClamp={2}>
                  {a.notes}
                </Text>
              )}
            </Table.Td>
            <Table.Td>{a.campaignName}</Table.Td>
            <Table.Td>
              {a.ownerAgentId === null
                ? 'Anyone'
                : a.ownerAgentId === userId
                  ? 'Personal'
                  : `Personal (${a.ownerName ?? 'another agent'})`}
            </Table.Td>
            <Table.Td>
              <Text size="sm" fw={600} c={STATUS_COLORS[a.status]}>
                {STATUS_LABELS[a.status]}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** Calls: the agent's own calls (this shift, today, all) and their call-backs. */
export function CallsDrawer({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [scope, setScope] = useState<CallScope>('shift');
  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position="right"
      size={860}
      title={
        <Text fw={650} size="lg">
          Calls
        </Text>
      }
      scrollAreaComponent={ScrollArea.Autosize}
    >
      <Stack gap="lg" data-testid="calls-drawer">
        <Tabs
          value={scope}
          onChange={(value) => {
            const found = SCOPES.find((s) => s.value === value);
            if (found) setScope(found.value);
          }}
        >
          <Tabs.List>
            {SCOPES.map((s) => (
              <Tabs.Tab key={s.value} value={s.value} data-testid={`calls-tab-${s.value}`}>
                {s.label}
              </Tabs.Tab>
            ))}
          </Tabs.List>
        </Tabs>
        <CallsTable key={scope} scope={scope} />
        <Stack gap="xs">
          <Title order={3} size="h5">
            Appointments
          </Title>
          <AppointmentsTable />
        </Stack>
      </Stack>
    </Drawer>
  );
}
