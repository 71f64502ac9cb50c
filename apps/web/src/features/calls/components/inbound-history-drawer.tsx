import type { InboundCallHistory, ManagerInboundCall } from '@engage/contracts';
import { Alert, Badge, Center, Drawer, Group, Loader, Stack, Text, Timeline } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { isApiError } from '../../../lib/api-error';
import { agentTimeZone, formatDateTime, formatDuration } from '../../../lib/time';
import { useInboundCallHistory } from '../api/calls-api';

type EventType = InboundCallHistory['events'][number]['type'];

/** What each entry of an inbound call's history says, the agent's name filled in. */
function eventWords(type: EventType, agent: string | null): string {
  const who = agent ?? 'An agent';
  switch (type) {
    case 'queued':
      return 'Queued: waiting for a free agent';
    case 'closed':
      return "Line closed: the line's closed action took the caller";
    case 'overflow':
      return "Waited too long: the line's overflow action took the caller";
    case 'ringing':
      return `Rang ${who}`;
    case 'no_answer':
      return `${who} did not answer in time`;
    case 'declined':
      return `${who} declined`;
    case 'left':
      return `${who} was rung, then went on a break, signed out or took another call`;
    case 'answered':
      return `Answered by ${who}`;
    case 'abandoned':
      return 'The caller hung up';
    case 'ended':
      return agent ? `Ended by ${agent}` : 'Ended';
    case 'callback_requested':
      return 'The caller asked to be called back';
  }
}

const statusColor: Record<ManagerInboundCall['status'], string> = {
  queued: 'yellow',
  ringing: 'yellow',
  answered: 'green',
  ended: 'gray',
  abandoned: 'red',
  closed: 'orange',
  overflow: 'orange',
};

export function InboundStatusBadge({ status }: { status: ManagerInboundCall['status'] }) {
  return (
    <Badge size="sm" variant="light" color={statusColor[status]} data-testid="inbound-status">
      {status === 'abandoned' ? 'Hung up' : status.charAt(0).toUpperCase() + status.slice(1)}
    </Badge>
  );
}

/** The caller as the phone system gave the number, or "withheld". */
export const callerNumber = (c: Pick<ManagerInboundCall, 'from' | 'fromE164'>) =>
  c.fromE164 ?? (c.from.trim() === '' ? 'Number withheld' : c.from);

function HistoryBody({ history }: { history: InboundCallHistory }) {
  const timeZone = agentTimeZone();
  const c = history.call;
  return (
    <Stack gap="md" data-testid="inbound-history">
      <Stack gap={4}>
        <Group gap="xs">
          <Text fw={600}>{c.donor ? c.donor.name : 'New caller'}</Text>
          <InboundStatusBadge status={c.status} />
        </Group>
        <Text size="sm" c="dimmed">
          {callerNumber(c)} rang {c.line.name}
        </Text>
        <Text size="sm" data-testid="inbound-history-summary">
          Arrived {formatDateTime(c.arrivedAt, timeZone)}
          {c.waitedSeconds !== null
            ? c.abandonedAt
              ? ` · hung up after ${formatDuration(c.waitedSeconds)}`
              : ` · waited ${formatDuration(c.waitedSeconds)}`
            : ''}
          {c.answeredBy ? ` · answered by ${c.answeredBy.name}` : ''}
          {c.endedAt ? ` · ended ${formatDateTime(c.endedAt, timeZone)}` : ''}
          {c.endReason ? ` · ${c.endReason.name}` : ''}
          {c.callback
            ? c.callback.appointmentId !== null
              ? ' · call-back booked for the donor'
              : ' · asked to be called back: no single donor has this number'
            : ''}
        </Text>
      </Stack>
      {history.events.length === 0 ? (
        <Text c="dimmed">Nothing recorded yet.</Text>
      ) : (
        <Timeline bulletSize={14} lineWidth={2} active={history.events.length - 1}>
          {history.events.map((e, i) => (
            <Timeline.Item
              key={i}
              title={<span data-testid="inbound-history-event-what">{eventWords(e.type, e.agent?.name ?? null)}</span>}
              data-testid="inbound-history-event"
            >
              <Text size="xs" c="dimmed">
                {formatDateTime(e.at, timeZone)}
              </Text>
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Stack>
  );
}

/** An inbound call's whole history in a drawer at the right: queued, agents rung, answered, hung up, ended. */
export function InboundHistoryDrawer({
  inboundCallId,
  onClose,
}: {
  /** null: closed. */
  inboundCallId: number | null;
  onClose: () => void;
}) {
  const history = useInboundCallHistory(inboundCallId);
  return (
    <Drawer
      opened={inboundCallId !== null}
      onClose={onClose}
      position="right"
      size="md"
      title={
        <Text fw={650} size="lg">
          Inbound call
        </Text>
      }
      data-testid="inbound-history-drawer"
    >
      {history.isPending ? (
        <Center py="xl">
          <Loader />
        </Center>
      ) : history.isError ? (
        <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />}>
          {isApiError(history.error) ? history.error.message : 'The history could not be loaded. Try again.'}
        </Alert>
      ) : (
        <HistoryBody history={history.data} />
      )}
    </Drawer>
  );
}
