import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { teamListSchema, teamSchema } from '@engage/contracts';
import type { AddTeamMemberBody, CreateTeamBody, Team } from '@engage/contracts';
import { api } from '../../../lib/api';
import { notifySuccess } from '../../../lib/notify';

/** The teams the signed-in manager leads (an admin: every team), with members and campaigns. */
export const teamsQueryKey = ['teams'] as const;

export function useTeams() {
  return useQuery({
    queryKey: teamsQueryKey,
    queryFn: async ({ signal }) => (await api('GET', '/api/teams', undefined, teamListSchema, { signal })).teams,
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
    (body: CreateTeamBody) => api('POST', '/api/teams', body, teamSchema),
    (_v, team) => `Team ${team.name} created`,
    true,
  );
}

export function useRenameTeam() {
  return useTeamMutation(
    ({ teamId, name }: { teamId: number; name: string }) => api('PATCH', `/api/teams/${teamId}`, { name }, teamSchema),
    (_v, team) => `Team renamed to ${team.name}`,
    true,
  );
}

export function useAddTeamMember() {
  return useTeamMutation(
    ({ teamId, body }: { teamId: number; body: AddTeamMemberBody; userName: string }) =>
      api('POST', `/api/teams/${teamId}/members`, body, teamSchema),
    (v, team) => `${v.userName} added to ${team.name}${v.body.isLeader ? ' as a leader' : ''}`,
  );
}

export function useRemoveTeamMember() {
  return useTeamMutation(
    ({ teamId, userId }: { teamId: number; userId: number; userName: string }) =>
      api('DELETE', `/api/teams/${teamId}/members/${userId}`, {}, teamSchema),
    (v, team) => `${v.userName} removed from ${team.name}`,
  );
}

export function useSetTeamLeader() {
  return useTeamMutation(
    ({ teamId, userId, isLeader }: { teamId: number; userId: number; isLeader: boolean; userName: string }) =>
      api('PUT', `/api/teams/${teamId}/members/${userId}/leader`, { isLeader }, teamSchema),
    (v, team) => (v.isLeader ? `${v.userName} now leads ${team.name}` : `${v.userName} no longer leads ${team.name}`),
  );
}
