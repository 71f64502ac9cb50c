import type { ManagerInboundCall } from '@engage/contracts';
import { Badge, Button, Group, Table, Text, Tooltip } from '@mantine/core';
import { IconTimeline } from '@tabler/icons-react';
import { CellText } from '../../../components/cell-text';
import { formatDateTime, formatDuration } from '../../../lib/time';
import { callerNumber, InboundStatusBadge } from './inbound-history-drawer';

/** Inbound calls, answered or not (hung up, closed, overflow): who rang which line, how long they waited, who answered. */
export function InboundCallsTable({
  calls,
  timeZone,
  onHistory,
}: {
  calls: ManagerInboundCall[];
  timeZone: string;
  onHistory: (c: ManagerInboundCall) => void;
}) {
  return (
    <Table.ScrollContainer minWidth={880}>
      <Table striped highlightOnHover verticalSpacing="xs" fz="sm" data-testid="inbound-calls-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Arrived</Table.Th>
            <Table.Th>Line</Table.Th>
            <Table.Th>Caller</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th ta="right">Waited</Table.Th>
            <Table.Th>Answered by</Table.Th>
            <Table.Th>End reason</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {calls.map((c) => (
            <Table.Tr key={c.id} data-testid="inbound-call-row" data-inbound-call-id={c.id}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(c.arrivedAt, timeZone)}</Table.Td>
              <Table.Td>
                <CellText maw={180}>{c.line.name}</CellText>
              </Table.Td>
              <Table.Td>
                <CellText fw={500}>{c.donor ? c.donor.name : 'New caller'}</CellText>
                <Text size="xs" c="dimmed" ff="monospace">
                  {callerNumber(c)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  <InboundStatusBadge status={c.status} />
                  {c.callback && (
                    <Tooltip
                      label={
                        c.callback.appointmentId !== null
                          ? "A call-back is booked for the donor, for anyone in the line's teams"
                          : 'No single donor has this number: call it back, then link or create the donor'
                      }
                    >
                      <Badge
                        size="sm"
                        variant="outline"
                        color={c.callback.appointmentId !== null ? 'blue' : 'orange'}
                        data-testid="inbound-callback"
                      >
                        {c.callback.appointmentId !== null ? 'Call-back booked' : 'Call back'}
                      </Badge>
                    </Tooltip>
                  )}
                </Group>
              </Table.Td>
              <Table.Td ta="right" ff="monospace">
                {c.waitedSeconds !== null ? formatDuration(c.waitedSeconds) : ''}
              </Table.Td>
              <Table.Td>
                <CellText maw={180}>{c.answeredBy?.name ?? '—'}</CellText>
              </Table.Td>
              <Table.Td>{c.endReason?.name ?? '—'}</Table.Td>
              <Table.Td>
                <Button
                  size="compact-xs"
                  variant="subtle"
                  color="gray"
                  leftSection={<IconTimeline size={14} />}
                  onClick={() => onHistory(c)}
                  data-testid="inbound-call-history"
                >
                  Call history
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
