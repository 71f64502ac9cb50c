import type { CallScope } from '@engage/contracts';
import { useQuery } from '@tanstack/react-query';
import { getMyAppointments, getMyCalls } from '../api/my-work-api';
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
