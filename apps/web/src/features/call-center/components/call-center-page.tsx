import type { Offer, Shift, ShiftState } from '@engage/contracts';
import { Alert, Button, Center, Loader, Stack } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconAlertCircle } from '@tabler/icons-react';
import { useCallback, useState } from 'react';
import { PageHeader } from '../../../components/page-header';
import { isApiError } from '../../../lib/api-error';
import { DialerContext } from '../hooks/dialer-context';
import type { DialerControls } from '../hooks/dialer-context';
import { useHeartbeat } from '../hooks/use-heartbeat';
import { useNextDonor, useShift } from '../hooks/use-shift';
import { BreakModal } from './break-modal';
import { CallWorkspace } from './call-workspace';
import { CallsDrawer } from './calls-drawer';
import { DialerModal } from './dialer-modal';
import { DonorCard } from './donor-card';
import { IncomingCallModal } from './incoming-call-modal';
import { LogInboundCallModal } from './log-inbound-call-modal';
import { FetchingNextPanel, IdlePanel, OnBreakPanel, WaitingForInboundPanel } from './status-panels';
import { OutOfDataPanel } from './out-of-data-panel';
import { ShiftBar } from './shift-bar';
import { SignInCard } from './sign-in-card';
import { SoftphoneProvider } from '../softphone/softphone-context';

/** States in which the dialer popup opens by itself (no donor offered, not on a break). */
const DIALER_STATES: readonly ShiftState[] = ['signed_in', 'ready'];
/** The same under a job role that takes inbound calls only: once ready, the agent waits for a call. */
const INBOUND_ONLY_DIALER_STATES: readonly ShiftState[] = ['signed_in'];
/** An inbound-only shift never asks for a donor. */
const noDonor = () => Promise.resolve(undefined);

export function CallCenterPage() {
  const shiftQuery = useShift();
  const shift = shiftQuery.data;
  const next = useNextDonor();
  const [callsOpened, calls] = useDisclosure(false);
  const [breakOpened, breakModal] = useDisclosure(false);
  const [logOpened, logModal] = useDisclosure(false);

  // The dialer opens by itself when the agent has no donor; they may close it, and reopen it
  // (also from Out of Data: "Choose another campaign"). Any change of state resets that choice.
  const [dialerChoice, setDialerChoice] = useState<'auto' | 'dismissed' | 'forced'>('auto');
  const [seenState, setSeenState] = useState<ShiftState | null>(null);
  // The last donor offered: its campaign script and "why" stay on screen during the call.
  const [lastOffer, setLastOffer] = useState<Offer | null>(null);
  const state = shift?.state ?? null;
  if (state !== seenState) {
    setSeenState(state);
    setDialerChoice('auto');
  }
  if (shift?.offer && shift.offer.id !== lastOffer?.id) setLastOffer(shift.offer);

  useHeartbeat(shift !== null && shift !== undefined);

  const { mutateAsync: nextAsync } = next;
  const requestNext = useCallback(() => nextAsync().catch(() => undefined), [nextAsync]);
  const openDialer = useCallback(() => setDialerChoice('forced'), []);

  if (shift === undefined && shiftQuery.isError) {
    return (
      <>
        <PageHeader title="Call Center" />
        <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} title="Your shift could not be loaded">
          <Stack gap="sm" align="flex-start">
            {isApiError(shiftQuery.error) ? shiftQuery.error.message : 'Reload the page and try again.'}
            <Button size="xs" variant="light" color="red" onClick={() => void shiftQuery.refetch()}>
              Try again
            </Button>
          </Stack>
        </Alert>
      </>
    );
  }
  if (shift === undefined) {
    return (
      <>
        <PageHeader title="Call Center" />
        <Center py="xl">
          <Loader aria-label="Loading your shift" />
        </Center>
      </>
    );
  }
  if (shift === null) {
    return (
      <>
        <PageHeader title="Call Center" description="Choose your job role and sign in to start your shift." />
        <SignInCard />
      </>
    );
  }

  const takesDonors = shift.jobRole.takes.outbound;
  const idle = shift.offer === null && shift.call === null;
  // An inbound call ringing the agent pops over everything (its own modal, above the others).
  const incoming = shift.incoming ?? null;
  const dialerOpened =
    !callsOpened &&
    !breakOpened &&
    !logOpened &&
    incoming === null &&
    idle &&
    (dialerChoice === 'forced' ||
      (dialerChoice === 'auto' &&
        (takesDonors ? DIALER_STATES : INBOUND_ONLY_DIALER_STATES).includes(shift.state) &&
        !next.isPending));
  const controls: DialerControls = {
    requestNext: takesDonors ? requestNext : noDonor,
    takesDonors,
    nextPending: next.isPending,
    openDialer,
    overlayOpen: dialerOpened || breakOpened || callsOpened || logOpened || incoming !== null,
  };
  const outOfData =
    shift.state === 'out_of_data' && next.data?.status === 'out_of_data' && next.data.campaign.id === shift.campaign?.id
      ? next.data
      : null;

  function body(shift: Shift) {
    switch (shift.state) {
      case 'previewing':
        return shift.offer ? <DonorCard offer={shift.offer} /> : <FetchingNextPanel />;
      case 'on_call':
        return shift.call ? (
          <CallWorkspace call={shift.call} offer={lastOffer?.donor.id === shift.call.donorId ? lastOffer : null} />
        ) : (
          <FetchingNextPanel />
        );
      case 'on_break':
        return <OnBreakPanel shift={shift} />;
      case 'out_of_data':
        return <OutOfDataPanel shift={shift} result={outOfData} onTakeBreak={breakModal.open} />;
      case 'ready':
        if (!takesDonors) return <WaitingForInboundPanel />;
        return next.isPending ? <FetchingNextPanel /> : <IdlePanel shift={shift} />;
      case 'signed_in':
        return next.isPending ? <FetchingNextPanel /> : <IdlePanel shift={shift} />;
    }
  }

  return (
    <SoftphoneProvider active>
      <DialerContext value={controls}>
        <PageHeader title="Call Center" />
        <Stack gap="md">
          <ShiftBar
            shift={shift}
            onOpenCalls={calls.open}
            onTakeBreak={breakModal.open}
            onLogInbound={logModal.open}
            raised={dialerOpened}
          />
          {body(shift)}
        </Stack>
        <DialerModal shift={shift} opened={dialerOpened} onClose={() => setDialerChoice('dismissed')} />
        <BreakModal shift={shift} opened={breakOpened} onClose={breakModal.close} />
        <CallsDrawer opened={callsOpened} onClose={calls.close} />
        <LogInboundCallModal opened={logOpened} onClose={logModal.close} />
        <IncomingCallModal incoming={incoming} />
      </DialerContext>
    </SoftphoneProvider>
  );
}
