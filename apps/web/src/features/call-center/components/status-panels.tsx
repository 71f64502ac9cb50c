import { MISSED_CALLS_BREAK_KEY, MISSES_BEFORE_BREAK, type Shift } from '@engage/contracts';
import { Button, Card, EmptyState, Group, Loader, Text } from '@mantine/core';
import { IconCoffee, IconPhoneCall, IconPhoneIncoming, IconPlayerPlay } from '@tabler/icons-react';
import { useDialer } from '../hooks/dialer-context';
import { useMyInboundLines } from '../hooks/use-inbound';
import { useResumePending, useResumeShift } from '../hooks/use-shift';
import { formatClock } from '../../../lib/time';
import { formatPhoneNumber } from '../../../lib/phone-format';

/** Signed in or ready, with no donor: the dialer is the way on. */
export function IdlePanel({ shift }: { shift: Shift }) {
  const dialer = useDialer();
  const ready = shift.state === 'ready' && shift.campaign !== null;
  return (
    <Card withBorder radius="md" padding="xl" data-testid="idle-panel">
      <EmptyState
        variant="light"
        icon={<IconPhoneCall size={26} />}
        title={
          ready
            ? `Ready on ${shift.campaign?.name ?? 'your campaign'}`
            : dialer.takesDonors
              ? 'Choose what to call for'
              : 'Get ready for inbound calls'
        }
        description={
          ready
            ? 'Get your next donor when you are ready, or choose another campaign in the dialer.'
            : dialer.takesDonors
              ? 'Open the dialer, choose your team and campaign, and click Ready for Call.'
              : `Your job role ${shift.jobRole.name} takes inbound calls only: open the dialer and click Ready for inbound calls.`
        }
      >
        <EmptyState.Actions>
          <Group gap="sm">
            {ready && (
              <Button
                leftSection={<IconPhoneCall size={16} />}
                loading={dialer.nextPending}
                onClick={() => void dialer.requestNext()}
                data-testid="next-donor"
              >
                Next donor
              </Button>
            )}
            <Button variant={ready ? 'default' : 'filled'} onClick={dialer.openDialer} data-testid="open-dialer">
              Open dialer
            </Button>
          </Group>
        </EmptyState.Actions>
      </EmptyState>
    </Card>
  );
}

/**
 * Ready under a job role that takes inbound calls only: no donor comes, the agent waits for a call
 * to one of their lines to ring (it pops over this panel).
 */
export function WaitingForInboundPanel() {
  const lines = useMyInboundLines(true);
  const names = (lines.data?.lines ?? []).map((l) => `${l.name} (${formatPhoneNumber(l.number)})`);
  function description(): string {
    if (lines.isPending) return 'Calls to your lines ring here.';
    if (lines.isError) return 'Calls to the lines your teams answer ring here.';
    if (names.length === 0) {
      return 'No inbound line is answered by your teams yet, so no call can ring for you. Ask your manager to add your team to a line under Inbound lines.';
    }
    return `Calls to ${names.length === 1 ? 'your line' : 'your lines'} ${names.join(', ')} ring here. No donor is offered to you: your job role takes inbound calls only.`;
  }
  return (
    <Card withBorder radius="md" padding="xl" data-testid="waiting-inbound-panel">
      <EmptyState
        variant="light"
        icon={<IconPhoneIncoming size={26} />}
        title="Waiting for an inbound call"
        description={description()}
      />
    </Card>
  );
}

/** On a break: no donor is offered until the agent resumes. */
export function OnBreakPanel({ shift }: { shift: Shift }) {
  const resume = useResumeShift();
  const resumePending = useResumePending();
  return (
    <Card withBorder radius="md" padding="xl" data-testid="on-break-panel">
      <EmptyState
        variant="light"
        color="orange"
        icon={<IconCoffee size={26} />}
        title={`On break${shift.breakReason ? `: ${shift.breakReason.name}` : ''}`}
        description={
          shift.breakReason?.systemKey === MISSED_CALLS_BREAK_KEY
            ? `Since ${formatClock(shift.stateSince)}: ${MISSES_BEFORE_BREAK} incoming calls in a row rang out or were declined, so calls and donors stopped coming to you. Resume Shift when you are back at your desk.`
            : `Since ${formatClock(shift.stateSince)}. No ${shift.jobRole.takes.outbound ? 'donor is offered' : 'call rings'} to you until you resume your shift.`
        }
      >
        <EmptyState.Actions>
          <Button
            size="md"
            leftSection={<IconPlayerPlay size={18} />}
            loading={resumePending}
            onClick={() => resume.mutate()}
            data-testid="break-panel-resume"
          >
            Resume Shift
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </Card>
  );
}

/** Waiting for the dialer's answer. */
export function FetchingNextPanel() {
  return (
    <Card withBorder radius="md" padding="xl" data-testid="fetching-next">
      <Group justify="center" gap="sm" py="xl">
        <Loader size="sm" />
        <Text c="dimmed">Finding your next donor…</Text>
      </Group>
    </Card>
  );
}
