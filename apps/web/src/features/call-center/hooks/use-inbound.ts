import type { Call, CreateCallDonorBody, Shift } from '@engage/contracts';
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { notifyError, notifySuccess } from '../../../lib/notify';
import {
  answerInboundCall,
  createInboundCallDonor,
  declineInboundCall,
  linkInboundCallDonor,
  listCallerDonors,
  listMyInboundLines,
  logInboundCall,
} from '../api/inbound-api';
import { callCenterKeys } from '../api/query-keys';

/** The shift is on this call now (answered, logged, or its caller linked to a donor). */
function onCall(queryClient: QueryClient, call: Call): void {
  queryClient.setQueryData<Shift | null>(callCenterKeys.shift, (shift) =>
    shift
      ? {
          ...shift,
          state: 'on_call',
          stateSince: shift.state === 'on_call' ? shift.stateSince : new Date().toISOString(),
          offer: null,
          call,
          incoming: null,
        }
      : shift,
  );
}

function refreshShift(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({ queryKey: callCenterKeys.shift });
}

export interface AnswerInboundVariables {
  inboundCallId: number;
  /** The donor the agent chose in the pop-up (several share the number): the call is linked to them. */
  donor?: { id: number; name: string };
}

/**
 * Answer the call ringing the agent: the donor workspace opens as for an outbound call. With a donor
 * chosen in the pop-up, the answered call is then linked to them (answer first, then link): should
 * the link fail, the call stays answered, the error says why and the agent chooses in the caller panel.
 */
export function useAnswerInbound() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ inboundCallId, donor }: AnswerInboundVariables) => {
      const answered = await answerInboundCall(inboundCallId);
      if (!donor) return { call: answered, linkError: null };
      try {
        return { call: await linkInboundCallDonor(answered.id, donor.id), linkError: null };
      } catch (linkError) {
        return { call: answered, linkError };
      }
    },
    onSuccess: async ({ call, linkError }) => {
      notifySuccess(call.donorName ? `Call answered: ${call.donorName}` : 'Call answered: new caller');
      if (linkError !== null) notifyError(linkError);
      onCall(queryClient, call);
      await refreshShift(queryClient);
    },
    // e.g. the caller hung up or the call passed on: the server's message says so; the pop goes.
    onError: () => refreshShift(queryClient),
  });
}

/** Decline the call ringing the agent: it passes to the next agent. */
export function useDeclineInbound() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: declineInboundCall,
    onSuccess: async () => {
      notifySuccess('Call declined: it passes to the next agent');
      queryClient.setQueryData<Shift | null>(callCenterKeys.shift, (shift) =>
        shift ? { ...shift, incoming: null } : shift,
      );
      await refreshShift(queryClient);
    },
    onError: () => refreshShift(queryClient),
  });
}

/** The lines the agent's teams answer (none: no Log inbound call). */
export function useMyInboundLines(enabled: boolean) {
  return useQuery({
    queryKey: callCenterKeys.myInboundLines,
    queryFn: ({ signal }) => listMyInboundLines(signal),
    enabled,
    staleTime: 60_000,
  });
}

/** Log a call picked up on a desk phone: the same workspace as an answered call follows. */
export function useLogInbound() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: logInboundCall,
    meta: { handlesErrors: true },
    onSuccess: async (logged) => {
      notifySuccess(`Inbound call logged on ${logged.lineName}`);
      onCall(queryClient, logged.call);
      await refreshShift(queryClient);
    },
  });
}

/** The donors the caller of the open inbound call may be: by their number (q ''), or a search. */
export function useCallerDonors(callId: number, q: string) {
  return useQuery({
    queryKey: callCenterKeys.callerDonors(callId, q),
    queryFn: ({ signal }) => listCallerDonors(callId, q, signal),
  });
}

/** This donor is the caller. */
export function useLinkCallDonor(callId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ donorId }: { donorId: number; name: string }) => linkInboundCallDonor(callId, donorId),
    onSuccess: (call, { name }) => {
      notifySuccess(`Caller linked to ${name}`);
      onCall(queryClient, call);
    },
    onError: () => refreshShift(queryClient),
  });
}

/** A new caller: the donor made from the call, and the call linked to them. */
export function useCreateCallDonor(callId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateCallDonorBody) => createInboundCallDonor(callId, body),
    meta: { handlesErrors: true },
    onSuccess: ({ call, donor }) => {
      notifySuccess(`Donor created: ${donor.name} (${donor.reference})`);
      onCall(queryClient, call);
    },
  });
}
