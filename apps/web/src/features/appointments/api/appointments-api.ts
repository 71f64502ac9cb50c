import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ManagerAppointment, UpdateAppointmentBody } from '@engage/contracts';
import { apiCall } from '../../../lib/api';
import { agentTimeZone } from '../../../lib/time';
import { auditKeys } from '../../audit/api/audit-api';

export type AppointmentStatus = ManagerAppointment['status'];

export interface AppointmentFilters {
  campaignId: number | null;
  teamId: number | null;
  /** An agent id, "anyone" (open to anyone in the campaign), or null for all. */
  ownerAgentId: number | 'anyone' | null;
  status: AppointmentStatus | null;
  /** Dates "YYYY-MM-DD", read in the manager's time zone; `to` is included. */
  from: string | null;
  to: string | null;
}

export const defaultAppointmentFilters: AppointmentFilters = {
  campaignId: null,
  teamId: null,
  ownerAgentId: null,
  status: 'scheduled',
  from: null,
  to: null,
};

/** Under ['appointments'], which the live events invalidate when a call-back falls due. */
export const appointmentsKeys = {
  all: ['appointments', 'manager'] as const,
  list: (f: AppointmentFilters) => ['appointments', 'manager', f] as const,
  ownerOptions: (id: number) => ['appointments', 'manager', 'owner-options', id] as const,
};

const PAGE_SIZE = 50;

function appointmentsQuery(f: AppointmentFilters, cursor: string | null): Record<string, string | number> {
  const q: Record<string, string | number> = { limit: PAGE_SIZE, timeZone: agentTimeZone() };
  for (const [k, v] of Object.entries(f) as [keyof AppointmentFilters, string | number | null][]) {
    if (v !== null) q[k] = v;
  }
  if (cursor !== null) q.cursor = cursor;
  return q;
}

/** Call-backs of the campaigns the manager's teams work, earliest first, a page at a time. */
export function useAppointments(filters: AppointmentFilters) {
  return useInfiniteQuery({
    queryKey: appointmentsKeys.list(filters),
    queryFn: ({ pageParam, signal }) =>
      apiCall('listAppointments', { query: appointmentsQuery(filters, pageParam) }, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** Agents the call-back may be given to (members of the teams working its campaign). */
export function useOwnerOptions(appointmentId: number) {
  return useQuery({
    queryKey: appointmentsKeys.ownerOptions(appointmentId),
    queryFn: ({ signal }) => apiCall('listAppointmentOwnerOptions', { params: { appointmentId } }, { signal }),
  });
}

function useRefresh() {
  const queryClient = useQueryClient();
  return (a: ManagerAppointment) => {
    void queryClient.invalidateQueries({ queryKey: appointmentsKeys.all });
    void queryClient.invalidateQueries({ queryKey: auditKeys.trail('appointment', a.id) });
  };
}

/** Reschedule, reassign or edit notes; errors are shown in the form that asked. */
export function useUpdateAppointment() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, body }: { id: number; body: UpdateAppointmentBody }): Promise<ManagerAppointment> =>
      apiCall('updateAppointment', { params: { appointmentId: id }, body }),
    meta: { handlesErrors: true },
    onSuccess: refresh,
  });
}

export function useCancelAppointment() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (id: number): Promise<ManagerAppointment> =>
      apiCall('cancelAppointment', { params: { appointmentId: id }, body: {} }),
    meta: { handlesErrors: true },
    onSuccess: refresh,
  });
}
