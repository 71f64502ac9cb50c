import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import {
  hangupCauses,
  type CallDirection,
  type CorrectedCall,
  type HangupCause,
  type InboundCallStatus,
  type UpdateCallBody,
} from '@engage/contracts';
import { useQuery } from '@tanstack/react-query';
import { apiCall } from '../../../lib/api';
import { agentTimeZone } from '../../../lib/time';
import { auditKeys } from '../../audit/api/audit-api';

export interface CallFilters {
  campaignId: number | null;
  teamId: number | null;
  agentId: number | null;
  endReasonId: number | null;
  direction: CallDirection | null;
  /** Inbound calls answered on this line. */
  inboundLineId: number | null;
  /** How the softphone's line ended (busy, no answer, ...). */
  hangupCause: HangupCause | null;
  /** Dates "YYYY-MM-DD", read in the manager's time zone; `to` is included. */
  from: string | null;
  to: string | null;
}

export const emptyCallFilters: CallFilters = {
  campaignId: null,
  teamId: null,
  agentId: null,
  endReasonId: null,
  direction: null,
  inboundLineId: null,
  hangupCause: null,
  from: null,
  to: null,
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The filters kept in the page's address (`?campaignId=3&from=2026-06-01...`), so a reload, a bookmark or Back keeps them. */
export function callFiltersFromSearch(params: URLSearchParams): CallFilters {
  const id = (k: string) => {
    const n = Number(params.get(k));
    return Number.isSafeInteger(n) && n > 0 ? n : null;
  };
  const date = (k: string) => {
    const v = params.get(k);
    return v !== null && DATE.test(v) ? v : null;
  };
  const direction = params.get('direction');
  const cause = params.get('hangupCause');
  return {
    campaignId: id('campaignId'),
    teamId: id('teamId'),
    agentId: id('agentId'),
    endReasonId: id('endReasonId'),
    direction: direction === 'outbound' || direction === 'inbound' ? direction : null,
    inboundLineId: id('inboundLineId'),
    hangupCause: hangupCauses.find((c) => c === cause) ?? null,
    from: date('from'),
    to: date('to'),
  };
}

export function callFiltersToSearch(f: CallFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(f) as [keyof CallFilters, string | number | null][]) {
    if (v !== null) params.set(k, String(v));
  }
  return params;
}

export const callsKeys = {
  all: ['calls', 'manager'] as const,
  list: (f: CallFilters) => ['calls', 'manager', f] as const,
};

const PAGE_SIZE = 50;

function callsQuery(f: CallFilters, cursor: string | null): Record<string, string | number> {
  const q: Record<string, string | number> = { limit: PAGE_SIZE, timeZone: agentTimeZone() };
  for (const [k, v] of Object.entries(f) as [keyof CallFilters, string | number | null][]) {
    if (v !== null) q[k] = v;
  }
  if (cursor !== null) q.cursor = cursor;
  return q;
}

/** Calls of the teams the manager leads, newest first, a page at a time. */
export function useCalls(filters: CallFilters) {
  return useInfiniteQuery({
    queryKey: callsKeys.list(filters),
    queryFn: ({ pageParam, signal }) => apiCall('listCalls', { query: callsQuery(filters, pageParam) }, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/**
 * A manager's correction of a call's end reason and notes (with the new reason's outcome, unless
 * `applyOutcome` is false); its errors are shown in the form.
 */
export function useUpdateCall() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ callId, body }: { callId: number; body: UpdateCallBody }): Promise<CorrectedCall> =>
      apiCall('updateCall', { params: { callId }, body }),
    meta: { handlesErrors: true },
    onSuccess: (call) => {
      void queryClient.invalidateQueries({ queryKey: callsKeys.all });
      void queryClient.invalidateQueries({ queryKey: auditKeys.trail('call', call.id) });
      if (call.outcome?.applied) {
        // The outcome may have marked the donor, cancelled a call-back or moved the campaign's queue.
        void queryClient.invalidateQueries({ queryKey: ['audit'] });
        if (call.donor) void queryClient.invalidateQueries({ queryKey: ['donors', 'details', call.donor.id] });
        void queryClient.invalidateQueries({ queryKey: ['appointments'] });
        if (call.campaign) void queryClient.invalidateQueries({ queryKey: ['campaign', call.campaign.id] });
      }
    },
  });
}

// ---------------------------------------------------------------- inbound calls

export interface InboundCallFilters {
  lineId: number | null;
  status: InboundCallStatus | null;
}

export const inboundCallsKeys = {
  all: ['calls', 'inbound'] as const,
  list: (f: InboundCallFilters) => ['calls', 'inbound', 'list', f] as const,
  history: (id: number) => ['calls', 'inbound', 'history', id] as const,
};

/** Inbound calls of the lines the manager's teams answer, answered or not, newest first, a page at a time. */
export function useInboundCalls(filters: InboundCallFilters, enabled = true) {
  return useInfiniteQuery({
    queryKey: inboundCallsKeys.list(filters),
    queryFn: ({ pageParam, signal }) => {
      const query: Record<string, string | number> = { limit: PAGE_SIZE, timeZone: agentTimeZone() };
      if (filters.lineId !== null) query.lineId = filters.lineId;
      if (filters.status !== null) query.status = filters.status;
      if (pageParam !== null) query.cursor = pageParam;
      return apiCall('listInboundCalls', { query }, { signal });
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled,
  });
}

/** One inbound call's history (queued, agents rung, answered, abandoned, ended), while its drawer is open. */
export function useInboundCallHistory(inboundCallId: number | null) {
  return useQuery({
    queryKey: inboundCallsKeys.history(inboundCallId ?? 0),
    queryFn: ({ signal }) =>
      apiCall('getInboundCallHistory', { params: { inboundCallId: inboundCallId ?? 0 } }, { signal }),
    enabled: inboundCallId !== null,
  });
}
