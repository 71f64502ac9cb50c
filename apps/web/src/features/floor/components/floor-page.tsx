import { Alert, Badge, Group, Loader, Paper, SegmentedControl, Table, Text, Tooltip } from '@mantine/core';
import { IconPlugConnectedX } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import type { FloorAgent, FloorState } from '@engage/contracts';
import { PageHeader } from '../../../components/page-header';
import { shiftStateColor, shiftStateLabel } from '../../../lib/shift-labels';
import { formatDuration, secondsSince } from '../../../lib/time';
import { useNow } from '../../../lib/use-now';
import { useFloor } from '../api/floor-api';

const ORDER: FloorState[] = ['on_call', 'previewing', 'ready', 'out_of_data', 'on_break', 'signed_in', 'elsewhere'];

function Summary({ agents }: { agents: FloorAgent[] }) {
  const counts = ORDER.map((s) => [s, agents.filter((a) => a.state === s).length] as const).filter(([, n]) => n > 0);
  return (
    <Group gap="xs" mb="md" data-testid="floor-summary">
      <Text fw={600}>{agents.length} signed in</Text>
      {counts.map(([state, n]) => (
        <Badge key={state} color={shiftStateColor(state)} variant="light">
          {n} {shiftStateLabel(state).toLowerCase()}
        </Badge>
      ))}
    </Group>
  );
}

/** The managers' live floor: who is signed in, doing what, for how long. Updated by events. */
export function FloorPage() {
  const floor = useFloor();
  const now = useNow();
  const [filter, setFilter] = useState<'all' | FloorState>('all');
  const agents = useMemo(
    () => (floor.data?.agents ?? []).filter((a) => filter === 'all' || a.state === filter),
    [floor.data, filter],
  );

  return (
    <>
      <PageHeader
        title="Live floor"
        description="Agents signed in to the teams you lead, updated as their state changes."
      />
      {floor.isPending && <Loader />}
      {floor.isError && (
        <Alert color="red" title="The floor could not be loaded">
          {floor.error.message}
        </Alert>
      )}
      {floor.data && (
        <Paper withBorder p="md" radius="md">
          <Group justify="space-between" align="flex-start">
            <Summary agents={floor.data.agents} />
            <SegmentedControl
              size="xs"
              value={filter}
              onChange={(v) => setFilter(v)}
              data={[{ value: 'all', label: 'All' }, ...ORDER.map((s) => ({ value: s, label: shiftStateLabel(s) }))]}
            />
          </Group>
          {agents.length === 0 ? (
            <Text c="dimmed" data-testid="floor-empty">
              No agent is signed in{filter === 'all' ? '' : ' in this state'} right now.
            </Text>
          ) : (
            <Table striped highlightOnHover verticalSpacing="sm" data-testid="floor-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Agent</Table.Th>
                  <Table.Th>Job role</Table.Th>
                  <Table.Th>Team</Table.Th>
                  <Table.Th>Campaign</Table.Th>
                  <Table.Th>State</Table.Th>
                  <Table.Th>Time in state</Table.Th>
                  <Table.Th>Donor</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {agents.map((a) => (
                  <Table.Tr key={a.shiftId} data-testid="floor-row" data-agent={a.agentName} data-state={a.state}>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        <Text fw={500}>{a.agentName}</Text>
                        {!a.connected && (
                          <Tooltip label="The agent's screen has stopped answering">
                            <IconPlugConnectedX
                              size={16}
                              color="var(--mantine-color-red-6)"
                              aria-label="disconnected"
                            />
                          </Tooltip>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>{a.jobRole}</Table.Td>
                    <Table.Td>{a.team?.name ?? '—'}</Table.Td>
                    <Table.Td>{a.campaign?.name ?? '—'}</Table.Td>
                    <Table.Td>
                      {a.state === 'elsewhere' ? (
                        <Tooltip label="Working for a team you do not lead">
                          <Badge color={shiftStateColor(a.state)} variant="light" data-testid="floor-state">
                            {shiftStateLabel(a.state)}
                          </Badge>
                        </Tooltip>
                      ) : (
                        <Badge color={shiftStateColor(a.state)} variant="light" data-testid="floor-state">
                          {shiftStateLabel(a.state)}
                          {a.state === 'on_break' && a.breakReason ? `: ${a.breakReason}` : ''}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td ff="monospace">
                      {a.stateSince === null ? '—' : formatDuration(secondsSince(a.stateSince, now))}
                    </Table.Td>
                    <Table.Td>{a.donorName ?? '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Paper>
      )}
    </>
  );
}
