import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AddTeamMemberBody, CreateTeamBody, Team } from '@engage/contracts';
import { apiCall } from '../../../lib/api';
import { notifySuccess } from '../../../lib/notify';

/** The teams the signed-in manager leads (an admin: every team), with members and campaigns. */
export const teamsQueryKey = ['teams'] as const;

export function useTeams() {
  return useQuery({
    queryKey: teamsQueryKey,
    queryFn: async ({ signal }) => (await apiCall('listTeams', {}, { signal })).teams,
  });
}

function useTeamMutation<V>(fn: (v: V) => Promise<Team>, success: (v: V, team: Team) => string, handlesErrors = false) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    meta: { handlesErrors },
    onSuccess: async (team, v) => {
      notifySuccess(success(v, team));
      queryClient.setQueryData<Team[]>(teamsQueryKey, (teams) => {
        if (!teams) return teams;
        return teams.some((t) => t.id === team.id)
          ? teams.map((t) => (t.id === team.id ? team : t))
          : [...teams, team].sort((a, b) => a.name.localeCompare(b.name));
      });
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: teamsQueryKey }),
        queryClient.invalidateQueries({ queryKey: ['users'] }),
        queryClient.invalidateQueries({ queryKey: ['campaigns'] }),
      ]);
    },
  });
}

export function useCreateTeam() {
  return useTeamMutation(
    (body: CreateTeamBody) => apiCall('createTeam', { body }),
    (_v, team) => `Team ${team.name} created`,
    true,
  );
}

export function useRenameTeam() {
  return useTeamMutation(
    ({ teamId, name }: { teamId: number; name: string }) =>
      apiCall('updateTeam', { params: { teamId }, body: { name } }),
    (_v, team) => `Team renamed to ${team.name}`,
    true,
  );
}

export function useAddTeamMember() {
  return useTeamMutation(
    ({ teamId, body }: { teamId: number; body: AddTeamMemberBody; userName: string }) =>
      apiCall('addTeamMember', { params: { teamId }, body }),
    (v, team) => `${v.userName} added to ${team.name}${v.body.isLeader ? ' as a leader' : ''}`,
  );
}

export function useRemoveTeamMember() {
  return useTeamMutation(
    ({ teamId, userId }: { teamId: number; userId: number; userName: string }) =>
      apiCall('removeTeamMember', { params: { teamId, userId } }),
    (v, team) => `${v.userName} removed from ${team.name}`,
  );
}

export function useSetTeamLeader() {
  return useTeamMutation(
    ({ teamId, userId, isLeader }: { teamId: number; userId: number; isLeader: boolean; userName: string }) =>
      apiCall('setTeamLeader', { params: { teamId, userId }, body: { isLeader } }),
    (v, team) => (v.isLeader ? `${v.userName} now leads ${team.name}` : `${v.userName} no longer leads ${team.name}`),
  );
}
