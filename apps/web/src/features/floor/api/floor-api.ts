import { useQuery } from '@tanstack/react-query';
import { floorSchema } from '@engage/contracts';
import { api } from '../../../lib/api';

export const floorQueryKey = ['floor'] as const;

/**
 * The floor, re-read whenever a shift.changed event arrives (lib/live-events invalidates
 * ['floor']); a slow poll covers a dropped event stream.
 */
export function useFloor() {
  return useQuery({
    queryKey: floorQueryKey,
    queryFn: ({ signal }) => api('GET', '/api/floor', undefined, floorSchema, { signal }),
    refetchInterval: 15_000,
  });
}
