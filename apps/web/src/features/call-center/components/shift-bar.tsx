import type { Shift } from '@engage/contracts';
import { Badge, Button, Divider, Group, Paper, Text, Tooltip } from '@mantine/core';
import { IconCoffee, IconList, IconLogout, IconPhoneIncoming, IconPlayerPlay } from '@tabler/icons-react';
import { useNow } from '../../../lib/use-now';
import { useMyInboundLines } from '../hooks/use-inbound';
import { useClosePending, useCloseShift, useResumePending, useResumeShift } from '../hooks/use-shift';
import { formatDuration, secondsSince } from '../../../lib/time';
import { shiftStateColor, shiftStateLabel } from '../../../lib/shift-labels';
import { SoftphoneStatus } from '../softphone/softphone-panel';

function TimeInState({ since }: { since: string }) {
  const now = useNow(1000);
  return (
    <Text size="sm" c="dimmed" ff="monospace" data-testid="shift-state-time" aria-label="Time in this state">
      {formatDuration(secondsSince(since, now))}
    </Text>
  );
}

function Fact({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div style={{ minWidth: 0 }}>
      <Text size="xs" c="dimmed" lh={1.2}>
        {label}
      </Text>
      <Text size="sm" fw={500} truncate maw={320} data-testid={testId}>
        {value}
      </Text>
    </div>
  );
}

/** The shift at a glance, and the actions that are always at hand: Calls, Take Break, Sign Out. */
export function ShiftBar({
  shift,
  onOpenCalls,
  onTakeBreak,
  onLogInbound,
  raised = false,
}: {
  shift: Shift;
  onOpenCalls: () => void;
  onTakeBreak: () => void;
  /** Log inbound call (a desk phone picked up): shown when the agent's teams answer a line. */
  onLogInbound: () => void;
  /** Keep the bar above the dialer popup's overlay, so Calls, Take Break and Sign Out stay at hand. */
  raised?: boolean;
}) {
  const resume = useResumeShift();
  const resumePending = useResumePending();
  const close = useCloseShift();
  const closePending = useClosePending();
  const onBreak = shift.state === 'on_break';
  const onCall = shift.state === 'on_call';
  const answersLines = (useMyInboundLines(true).data?.lines.length ?? 0) > 0;
  const working =
    shift.team && shift.campaign ? `${shift.team.name} · ${shift.campaign.name}` : 'No campaign chosen yet';
  // A job role that takes inbound calls only works no campaign: the bar says so instead.
  const inboundOnly = !shift.jobRole.takes.outbound;
  // On an inbound call the agent works for the line, not the outbound campaign they chose.
  const inbound = onCall && shift.call?.direction === 'inbound' ? shift.call : null;

  return (
    <Paper
      withBorder
      radius="md"
      px="md"
      py="sm"
      shadow={raised ? 'md' : undefined}
      style={raised ? { position: 'relative', zIndex: 201 } : undefined}
      data-testid="shift-bar"
    >
      <Group justify="space-between" wrap="nowrap" gap="md">
        <Group gap="lg" wrap="nowrap" style={{ minWidth: 0 }}>
          <Group gap="xs" wrap="nowrap">
            <Badge
              size="lg"
              variant="light"
              color={shiftStateColor(shift.state)}
              data-testid="shift-state"
              data-state={shift.state}
            >
              {shift.state === 'on_break' && shift.breakReason
                ? `On break: ${shift.breakReason.name}`
                : shiftStateLabel(shift.state)}
            </Badge>
            <TimeInState since={shift.stateSince} />
            <SoftphoneStatus />
          </Group>
          <Divider orientation="vertical" />
          <Fact label="Job role" value={shift.jobRole.name} testId="shift-job-role" />
          <Divider orientation="vertical" />
          {inbound ? (
            <Fact label="Inbound call" value={inbound.lineName ?? 'Inbound line'} testId="shift-inbound-line" />
          ) : inboundOnly ? (
            <Fact label="Work" value="Inbound calls only" testId="shift-inbound-only" />
          ) : (
            <Fact label="Team · Campaign" value={working} testId="shift-campaign" />
          )}
        </Group>
        <Group gap="xs" wrap="nowrap">
          {answersLines && (
            <Tooltip
              label={onBreak ? 'Resume Shift first, then log the call' : 'End the call first, then log the next one'}
              disabled={!onCall && !onBreak}
            >
              <Button
                variant="default"
                leftSection={<IconPhoneIncoming size={16} />}
                onClick={onCall || onBreak ? undefined : onLogInbound}
                data-disabled={onCall || onBreak || undefined}
                aria-disabled={onCall || onBreak || undefined}
                data-testid="log-inbound"
              >
                Log inbound call
              </Button>
            </Tooltip>
          )}
          <Button
            variant="default"
            leftSection={<IconList size={16} />}
            onClick={onOpenCalls}
            data-testid="calls-button"
          >
            Calls
          </Button>
          {onBreak ? (
            <Button
              leftSection={<IconPlayerPlay size={16} />}
              loading={resumePending}
              onClick={() => resume.mutate()}
              data-testid="resume-shift"
            >
              Resume Shift
            </Button>
          ) : (
            <Tooltip label="End the call first, then take your break" disabled={!onCall}>
              <Button
                variant="default"
                leftSection={<IconCoffee size={16} />}
                onClick={onCall ? undefined : onTakeBreak}
                data-disabled={onCall || undefined}
                aria-disabled={onCall || undefined}
                data-testid="take-break"
              >
                Take Break
              </Button>
            </Tooltip>
          )}
          <Button
            variant="default"
            leftSection={<IconLogout size={16} />}
            loading={closePending}
            onClick={() => close.mutate()}
            data-testid="sign-out"
          >
            Sign Out
          </Button>
        </Group>
      </Group>
    </Paper>
  );
}
