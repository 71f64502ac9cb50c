import type { Call, EndCallBody, NextDonorResponse, Shift, ShiftState } from '@engage/contracts';
import { useIsMutating, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import { isApiError, isUnauthenticated } from '../../../lib/api-error';
import { meQueryKey } from '../../../lib/session';
import { notifySuccess, notifyWarning } from '../../../lib/notify';
import { callCenterKeys } from '../api/query-keys';
import {
  closeShift,
  endCall,
  getShift,
  openShift,
  requestNextDonor,
  resumeShift,
  setReady,
  skipOffer,
  startCall,
  takeBreak,
} from '../api/shift-api';

/** The agent's open shift (`null`: none). Polled so holds released by the server show up. */
export function useShift() {
  return useQuery({
    queryKey: callCenterKeys.shift,
    queryFn: ({ signal }) => getShift(signal),
    staleTime: 5_000,
    refetchInterval: 30_000,
  });
}

function patchShift(queryClient: QueryClient, patch: Partial<Shift> & { state: ShiftState }): void {
  queryClient.setQueryData<Shift | null>(callCenterKeys.shift, (shift) =>
    shift ? { ...shift, stateSince: new Date().toISOString(), ...patch } : shift,
  );
}

function refreshShift(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({ queryKey: callCenterKeys.shift });
}

/** Sign In under a job role: popup "Success signed into shift". */
export function useOpenShift() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: openShift,
    onSuccess: (shift) => {
      queryClient.setQueryData(callCenterKeys.shift, shift);
      notifySuccess('Success signed into shift');
    },
    // e.g. shift_already_open (another tab): show the shift that is open.
    onError: () => refreshShift(queryClient),
  });
}

export function useSetReady() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: setReady,
    onSuccess: (shift) => {
      queryClient.setQueryData(callCenterKeys.shift, shift);
      notifySuccess('Ready for calls');
    },
    onError: () => refreshShift(queryClient),
  });
}

export type OutOfDataResult = Extract<NextDonorResponse, { status: 'out_of_data' }>;

/** Ask for the next donor. An offer moves the shift to previewing; none shows "Out of Data". */
export function useNextDonor() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: ['shift', 'next'],
    mutationFn: requestNextDonor,
    onSuccess: async (result) => {
      switch (result.status) {
        case 'offered':
          patchShift(queryClient, { state: 'previewing', offer: result.offer, call: null });
          break;
        case 'out_of_data':
          patchShift(queryClient, { state: 'out_of_data', offer: null, call: null });
          notifyWarning('Out of Data', result.message);
          break;
      }
      await refreshShift(queryClient);
    },
    onError: () => refreshShift(queryClient),
  });
}

export interface SkipVariables {
  offerId: number;
  skipReasonId: number;
  reasonName: string;
  notes?: string;
}

/** Skip the offered donor; `onSkipped` then asks for the next one. */
export function useSkipOffer(onSkipped: () => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ offerId, skipReasonId, notes }: SkipVariables) => skipOffer(offerId, { skipReasonId, notes }),
    onSuccess: (_data, { reasonName }) => {
      notifySuccess(`Skipped: ${reasonName}`);
      patchShift(queryClient, { state: 'ready', offer: null });
      onSkipped();
    },
    onError: () => refreshShift(queryClient),
  });
}

/**
 * Start Call on the offered donor. When the hold has run out (offer_expired) the server's
 * message is shown and `onOfferGone` asks for the next donor.
 */
/** Start Call; `onStarted` runs once the call record is open (the softphone dials then), even after the donor card is gone. */
export function useStartCall(onOfferGone: () => void, onStarted?: (call: Call) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: startCall,
    onSuccess: async (call) => {
      // The call is open whatever the softphone does: a failure to dial leaves the tel: link.
      try {
        onStarted?.(call);
      } catch {
        /* the softphone panel says what to do */
      }
      notifySuccess('Call started');
      patchShift(queryClient, { state: 'on_call', offer: null, call });
      await refreshShift(queryClient);
    },
    onError: async (error) => {
      if (isApiError(error) && (error.code === 'offer_expired' || error.code === 'offer_not_found')) {
        patchShift(queryClient, { state: 'ready', offer: null });
        onOfferGone();
        return;
      }
      await refreshShift(queryClient);
    },
  });
}

export interface EndCallVariables {
  callId: number;
  /** null: an inbound caller not linked to a donor. */
  donorId: number | null;
  body: EndCallBody;
  idempotencyKey: string;
  /** "Stop after this call": stay ready instead of asking for the next donor. */
  stopAfter: boolean;
}

/** End Call. Errors are shown by the End Call panel (next to the field when they name one). */
export function useEndCall(onContinue: () => void, onEnded?: (callId: number) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ callId, body, idempotencyKey }: EndCallVariables) => endCall(callId, body, idempotencyKey),
    meta: { handlesErrors: true },
    // `onEnded` (the softphone hangs up) runs here, not in mutate's own callbacks: the End Call
    // panel is gone by the time those would run.
    onSuccess: (call: Call, { callId, donorId, stopAfter }) => {
      onEnded?.(callId);
      notifySuccess(`Call ended: ${call.endReason?.name ?? 'done'}`);
      patchShift(queryClient, { state: 'ready', call: null, offer: null });
      void queryClient.invalidateQueries({ queryKey: callCenterKeys.myCallsAll });
      void queryClient.invalidateQueries({ queryKey: callCenterKeys.myAppointments });
      if (donorId !== null) void queryClient.invalidateQueries({ queryKey: callCenterKeys.donor(donorId) });
      if (stopAfter) void refreshShift(queryClient);
      else onContinue();
    },
    onError: (error) => {
      if (isUnauthenticated(error)) queryClient.setQueryData(meQueryKey, null);
      if (isApiError(error) && (error.code === 'call_already_ended' || error.code === 'call_not_found')) {
        void refreshShift(queryClient);
      }
    },
  });
}

export function useTakeBreak() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ breakReasonId }: { breakReasonId: number; reasonName: string }) => takeBreak(breakReasonId),
    onSuccess: (shift, { reasonName }) => {
      queryClient.setQueryData(callCenterKeys.shift, shift);
      notifySuccess(`On break: ${shift.breakReason?.name ?? reasonName}`);
    },
    onError: () => refreshShift(queryClient),
  });
}

const RESUME_KEY = ['shift', 'resume'] as const;
const CLOSE_KEY = ['shift', 'close'] as const;

/** True while any Resume Shift button's request is in flight (the bar and the break panel share it). */
export function useResumePending(): boolean {
  return useIsMutating({ mutationKey: RESUME_KEY }) > 0;
}

/** True while any Sign Out request is in flight. */
export function useClosePending(): boolean {
  return useIsMutating({ mutationKey: CLOSE_KEY }) > 0;
}

export function useResumeShift() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: RESUME_KEY,
    mutationFn: resumeShift,
    onSuccess: (shift) => {
      queryClient.setQueryData(callCenterKeys.shift, shift);
      notifySuccess('Shift resumed');
    },
    onError: () => refreshShift(queryClient),
  });
}

/** Sign Out of the shift. Refused with call_open while a call is open (the message says so). */
export function useCloseShift() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: CLOSE_KEY,
    mutationFn: closeShift,
    onSuccess: () => {
      queryClient.setQueryData(callCenterKeys.shift, null);
      notifySuccess('Signed out of shift');
      void queryClient.invalidateQueries({ queryKey: callCenterKeys.myCallsAll });
    },
    onError: () => refreshShift(queryClient),
  });
}
