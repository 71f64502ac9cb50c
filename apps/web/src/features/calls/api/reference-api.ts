import { useQuery } from '@tanstack/react-query';
import type { EndReason } from '@engage/contracts';
import { apiCall } from '../../../lib/api';

/**
 * The lists the managers' filters and pickers choose from: campaigns, teams, people, end reasons.
 * A list that cannot be read leaves its options to what the loaded rows show (`mergeOptions`).
 */

export interface Option {
  id: number;
  name: string;
}

/** Ids and names, by name. */
const byName = (items: readonly Option[]): Option[] =>
  items.map(({ id, name }) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));

const REFERENCE_STALE_TIME = 5 * 60_000;

function useNamedList(key: string, read: (signal: AbortSignal) => Promise<Option[]>) {
  return useQuery({
    queryKey: ['reference', key],
    queryFn: async ({ signal }) => byName(await read(signal)),
    staleTime: REFERENCE_STALE_TIME,
    retry: false,
  });
}

export const useCampaignOptions = () =>
  useNamedList('campaigns', async (signal) => (await apiCall('listCampaigns', { query: {} }, { signal })).campaigns);
export const useTeamOptions = () =>
  useNamedList('teams', async (signal) => (await apiCall('listTeams', {}, { signal })).teams);
/** Every user (agents and the managers who also call), for the "Agent" filter. */
export const usePeopleOptions = () =>
  useNamedList('users', async (signal) => (await apiCall('listUsers', {}, { signal })).users);

export function useEndReasonOptions() {
  return useQuery({
    queryKey: ['reasons', 'end'],
    queryFn: ({ signal }): Promise<EndReason[]> => apiCall('listEndReasons', {}, { signal }),
    staleTime: REFERENCE_STALE_TIME,
  });
}

/**
 * The options of a filter: the list from the API merged with what the loaded rows show (so a
 * filter still works while an API is missing), plus the chosen value.
 */
export function mergeOptions(...lists: (readonly (Option | null | undefined)[] | undefined)[]): Option[] {
  const byId = new Map<number, Option>();
  for (const list of lists) for (const o of list ?? []) if (o && !byId.has(o.id)) byId.set(o.id, o);
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export function selectData(options: readonly Option[]): { value: string; label: string }[] {
  return options.map((o) => ({ value: String(o.id), label: o.name }));
}
