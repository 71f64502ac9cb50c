import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiCall } from '../../../lib/api';
import { notifySuccess } from '../../../lib/notify';

export const floorQueryKey = ['floor'] as const;

/**
 * The floor, re-read whenever a shift.changed event arrives (lib/live-events invalidates
 * ['floor']); a slow poll covers a dropped event stream.
 */
export function useFloor() {
  return useQuery({
    queryKey: floorQueryKey,
    queryFn: ({ signal }) => apiCall('listFloor', {}, { signal }),
    refetchInterval: 15_000,
  });
}

/** A manager's action on an agent's shift: endAgentShift, endAgentCall, releaseAgentDonor. */
export type FloorAction = 'sign-out' | 'end-call' | 'release-donor';

/** The operation behind each floor action. */
const floorOperations = {
  'sign-out': 'endAgentShift',
  'end-call': 'endAgentCall',
  'release-donor': 'releaseAgentDonor',
} as const satisfies Record<FloorAction, string>;

export interface FloorActionVars {
  shiftId: number;
  agentName: string;
  action: FloorAction;
}

function done({ agentName, action }: FloorActionVars): string {
  switch (action) {
    case 'sign-out':
      return `${agentName} is signed out`;
    case 'end-call':
      return `${agentName}'s call is ended and kept on record`;
    case 'release-donor':
      return `${agentName}'s donor is back in the queue`;
  }
}

export function useFloorAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ shiftId, action }: FloorActionVars) => apiCall(floorOperations[action], { params: { shiftId } }),
    onSuccess: (_data, v) => notifySuccess(done(v)),
    // Whatever the answer (it may be that the agent had signed out meanwhile), show the floor as it is.
    onSettled: () => queryClient.invalidateQueries({ queryKey: floorQueryKey }),
  });
}
