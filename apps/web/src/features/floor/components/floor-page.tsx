import {
  ActionIcon,
  Alert,
  Badge,
  Group,
  Loader,
  Menu,
  Paper,
  SegmentedControl,
  Table,
  Text,
  Tooltip,
} from '@mantine/core';
import {
  IconDots,
  IconLogout,
  IconPhoneIncoming,
  IconPhoneOff,
  IconPhoneRinging,
  IconPlugConnectedX,
  IconUserShare,
} from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import type { FloorAgent, FloorLine, FloorState } from '@engage/contracts';
import { PageHeader } from '../../../components/page-header';
import { formatPhoneNumber } from '../../../lib/phone-format';
import { shiftStateColor, shiftStateLabel } from '../../../lib/shift-labels';
import { formatClock, formatDuration, secondsSince } from '../../../lib/time';
import { useNow } from '../../../lib/use-now';
import { ConfirmModal, useConfirmTarget } from '../../../components/confirm-modal';
import { useFloor, useFloorAction, type FloorAction, type FloorActionVars } from '../api/floor-api';

const ORDER: FloorState[] = ['on_call', 'previewing', 'ready', 'out_of_data', 'on_break', 'signed_in', 'elsewhere'];

/** Counts by state of the agents whose screen answers; those whose screen is gone are counted apart. */
function Summary({ agents }: { agents: FloorAgent[] }) {
  const connected = agents.filter((a) => a.connected);
  const gone = agents.length - connected.length;
  const ringing = connected.filter((a) => a.ringing !== null).length;
  const counts = ORDER.map((s) => [s, connected.filter((a) => a.state === s).length] as const).filter(([, n]) => n > 0);
  return (
    <Group gap="xs" mb="md" data-testid="floor-summary">
      <Text fw={600}>{agents.length} signed in</Text>
      {counts.map(([state, n]) => (
        <Badge key={state} color={shiftStateColor(state)} variant="light">
          {n} {shiftStateLabel(state).toLowerCase()}
        </Badge>
      ))}
      {ringing > 0 && (
        <Badge color="grape" variant="light" data-testid="floor-summary-ringing">
          {ringing} ringing
        </Badge>
      )}
      {gone > 0 && (
        <Badge color="red" variant="light" data-testid="floor-summary-disconnected">
          {gone} disconnected
        </Badge>
      )}
    </Group>
  );
}

const CONFIRM: Record<FloorAction, { title: (name: string) => string; body: string; label: string }> = {
  'sign-out': {
    title: (name) => `Sign out ${name}?`,
    body: 'Their open call will be ended and kept on record, and a donor on their screen goes back to the queue.',
    label: 'Sign out',
  },
  'end-call': {
    title: (name) => `End ${name}'s call?`,
    body: 'The call will be ended and kept on record as "Ended by a manager"; the donor will be called again later.',
    label: 'End call',
  },
  'release-donor': {
    title: (name) => `Release ${name}'s donor?`,
    body: 'The donor on their screen, not yet called, goes back to the queue for anyone to call.',
    label: 'Release donor',
  },
};

/**
 * Each inbound line's queue: callers waiting, the longest wait (ticking from when the floor was
 * read, by the browser's clock, never compared with the server's) and the agents free to answer.
 */
function InboundLines({ lines, readAt, now }: { lines: FloorLine[]; readAt: number; now: number }) {
  const since = Math.max(0, Math.floor((now - readAt) / 1000));
  return (
    <Paper withBorder p="md" radius="md" mb="md">
      <Text fw={600} mb="xs">
        Inbound lines
      </Text>
      <Table verticalSpacing="xs" data-testid="floor-lines">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Line</Table.Th>
            <Table.Th>Callers waiting</Table.Th>
            <Table.Th>Longest wait</Table.Th>
            <Table.Th>Agents free</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {lines.map((l) => (
            <Table.Tr key={l.lineId} data-testid="floor-line" data-line={l.lineName} data-waiting={l.waiting}>
              <Table.Td>
                <Text fw={500}>{l.lineName}</Text>
                <Text size="xs" c="dimmed">
                  {formatPhoneNumber(l.number)}
                </Text>
              </Table.Td>
              <Table.Td data-testid="floor-line-waiting">
                {l.waiting > 0 ? (
                  <Badge color={l.agentsFree === 0 ? 'red' : 'orange'} variant="light">
                    {l.waiting} waiting
                  </Badge>
                ) : (
                  <Text c="dimmed">None</Text>
                )}
              </Table.Td>
              <Table.Td ff="monospace" data-testid="floor-line-longest">
                {l.waiting > 0 ? formatDuration(l.longestWaitSeconds + since) : '—'}
              </Table.Td>
              <Table.Td data-testid="floor-line-free">{l.agentsFree}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

/** The agent's state, and the inbound call on it: "On inbound call" with its line, or ringing them. */
function AgentState({ agent: a, now }: { agent: FloorAgent; now: number }) {
  if (a.state === 'elsewhere') {
    return (
      <Tooltip label="Working for a team you do not lead">
        <Badge color={shiftStateColor(a.state)} variant="light" data-testid="floor-state">
          {shiftStateLabel(a.state)}
        </Badge>
      </Tooltip>
    );
  }
  const inbound = a.call?.direction === 'inbound';
  return (
    <Group gap={6} wrap="nowrap">
      <Badge
        color={shiftStateColor(a.state)}
        variant="light"
        data-testid="floor-state"
        data-direction={a.call?.direction}
        leftSection={inbound ? <IconPhoneIncoming size={14} /> : undefined}
      >
        {inbound ? 'On inbound call' : shiftStateLabel(a.state)}
        {a.state === 'on_break' && a.breakReason ? `: ${a.breakReason}` : ''}
      </Badge>
      {inbound && a.call?.line && (
        <Text size="sm" data-testid="floor-call-line">
          {a.call.line.name}
        </Text>
      )}
      {a.ringing && (
        <Badge
          color="grape"
          variant="filled"
          leftSection={<IconPhoneRinging size={14} />}
          data-testid="floor-ringing"
          data-line={a.ringing.line.name}
        >
          Ringing ({a.ringing.line.name}) {formatDuration(secondsSince(a.ringing.since, now))}
        </Badge>
      )}
    </Group>
  );
}

/** What a manager can do about one agent: sign them out, end their call, release their donor. */
function AgentActions({ agent, ask }: { agent: FloorAgent; ask: (v: FloorActionVars) => void }) {
  const vars = (action: FloorAction) => ({ shiftId: agent.shiftId, agentName: agent.agentName, action });
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon
          variant="subtle"
          color="gray"
          aria-label={`Actions for ${agent.agentName}`}
          data-testid="floor-actions"
        >
          <IconDots size={18} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        {agent.state === 'on_call' && (
          <Menu.Item
            leftSection={<IconPhoneOff size={16} />}
            onClick={() => ask(vars('end-call'))}
            data-testid="floor-end-call"
          >
            End call
          </Menu.Item>
        )}
        {agent.state === 'previewing' && (
          <Menu.Item
            leftSection={<IconUserShare size={16} />}
            onClick={() => ask(vars('release-donor'))}
            data-testid="floor-release-donor"
          >
            Release donor
          </Menu.Item>
        )}
        <Menu.Item
          color="red"
          leftSection={<IconLogout size={16} />}
          onClick={() => ask(vars('sign-out'))}
          data-testid="floor-sign-out"
        >
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

/** The managers' live floor: who is signed in, doing what, for how long. Updated by events. */
export function FloorPage() {
  const floor = useFloor();
  const now = useNow();
  const [filter, setFilter] = useState<'all' | FloorState>('all');
  const confirming = useConfirmTarget<FloorActionVars>();
  const act = useFloorAction();
  const confirm = confirming.target ? CONFIRM[confirming.target.action] : null;
  const agents = useMemo(
    () => (floor.data?.agents ?? []).filter((a) => filter === 'all' || a.state === filter),
    [floor.data, filter],
  );

  return (
    <>
      <PageHeader
        title="Live floor"
        description="Agents signed in to the teams you lead, and the queues of their inbound lines, updated as they change."
      />
      {floor.isPending && <Loader />}
      {floor.isError && (
        <Alert color="red" title="The floor could not be loaded">
          {floor.error.message}
        </Alert>
      )}
      {floor.data && floor.data.lines.length > 0 && (
        <InboundLines lines={floor.data.lines} readAt={floor.dataUpdatedAt} now={now} />
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
                  <Table.Th aria-label="Actions" />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {agents.map((a) => (
                  <Table.Tr key={a.shiftId} data-testid="floor-row" data-agent={a.agentName} data-state={a.state}>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        <Text fw={500}>{a.agentName}</Text>
                        {!a.connected && (
                          <Tooltip label="The agent's screen has stopped answering: the call, if any, ends by itself after a while, or sign them out">
                            <Badge
                              color="red"
                              variant="light"
                              leftSection={<IconPlugConnectedX size={14} />}
                              data-testid="floor-disconnected"
                            >
                              {a.disconnectedSince
                                ? `Disconnected since ${formatClock(a.disconnectedSince)}`
                                : 'Disconnected'}
                            </Badge>
                          </Tooltip>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>{a.jobRole}</Table.Td>
                    <Table.Td>{a.team?.name ?? '—'}</Table.Td>
                    <Table.Td>{a.campaign?.name ?? '—'}</Table.Td>
                    <Table.Td>
                      <AgentState agent={a} now={now} />
                    </Table.Td>
                    <Table.Td ff="monospace">
                      {a.stateSince === null ? '—' : formatDuration(secondsSince(a.stateSince, now))}
                    </Table.Td>
                    <Table.Td data-testid="floor-donor">{a.donorName ?? '—'}</Table.Td>
                    <Table.Td>{a.state !== 'elsewhere' && <AgentActions agent={a} ask={confirming.ask} />}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Paper>
      )}
      <ConfirmModal
        opened={confirming.opened}
        title={confirm && confirming.target ? confirm.title(confirming.target.agentName) : ''}
        confirmLabel={confirm?.label ?? ''}
        loading={act.isPending}
        onClose={confirming.close}
        onConfirm={() => {
          if (confirming.target) act.mutate(confirming.target, { onSettled: confirming.close });
        }}
        testId="floor-action"
      >
        {confirm?.body}
      </ConfirmModal>
    </>
  );
}
