import { useQuery } from '@tanstack/react-query';
import { getMyCampaigns } from '../api/my-work-api';
import { callCenterKeys } from '../api/query-keys';
import { getBreakReasons, getEndReasons, getJobRoles, getSkipReasons } from '../api/settings-api';

/** Settings change rarely during a shift: keep them for five minutes. */
const REFERENCE_STALE_TIME = 5 * 60_000;

export function useJobRoles() {
  return useQuery({
    queryKey: callCenterKeys.jobRoles,
    queryFn: ({ signal }) => getJobRoles(signal),
    staleTime: REFERENCE_STALE_TIME,
  });
}

export function useSkipReasons() {
  return useQuery({
    queryKey: callCenterKeys.skipReasons,
    queryFn: ({ signal }) => getSkipReasons(signal),
    staleTime: REFERENCE_STALE_TIME,
  });
}

export function useEndReasons() {
  return useQuery({
    queryKey: callCenterKeys.endReasons,
    queryFn: ({ signal }) => getEndReasons(signal),
    staleTime: REFERENCE_STALE_TIME,
  });
}

export function useBreakReasons() {
  return useQuery({
    queryKey: callCenterKeys.breakReasons,
    queryFn: ({ signal }) => getBreakReasons(signal),
    staleTime: REFERENCE_STALE_TIME,
  });
}

/** The team and campaign pairs the agent may work (Ready for Call). */
export function useMyCampaigns() {
  return useQuery({
    queryKey: callCenterKeys.myCampaigns,
    queryFn: ({ signal }) => getMyCampaigns(signal),
    staleTime: 60_000,
  });
}
