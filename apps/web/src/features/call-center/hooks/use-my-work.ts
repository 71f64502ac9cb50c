import type { CallScope, CreateAppointmentBody } from '@engage/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createAppointment, getMyAppointments, getMyCalls } from '../api/my-work-api';
import { callCenterKeys } from '../api/query-keys';

export function useMyCalls(scope: CallScope, enabled: boolean) {
  return useQuery({
    queryKey: callCenterKeys.myCalls(scope),
    queryFn: ({ signal }) => getMyCalls(scope, signal),
    enabled,
    staleTime: 10_000,
  });
}

export function useMyAppointments(enabled: boolean) {
  return useQuery({
    queryKey: callCenterKeys.myAppointments,
    queryFn: ({ signal }) => getMyAppointments(signal),
    enabled,
    staleTime: 10_000,
  });
}

/** Book appointment: the form shows the errors itself; the agent's appointments and the donor's timeline refresh. */
export function useBookAppointment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: CreateAppointmentBody; idempotencyKey: string }) =>
      createAppointment(body, idempotencyKey),
    meta: { handlesErrors: true },
    onSuccess: (_appointment, { body }) => {
      void queryClient.invalidateQueries({ queryKey: callCenterKeys.myAppointments });
      void queryClient.invalidateQueries({ queryKey: callCenterKeys.donor(body.donorId) });
      void queryClient.invalidateQueries({ queryKey: ['appointments'] });
    },
  });
}
