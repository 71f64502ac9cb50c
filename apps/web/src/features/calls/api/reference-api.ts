import { useQuery } from '@tanstack/react-query';
import { endReasonListSchema } from '@engage/contracts';
import type { EndReason } from '@engage/contracts';
import { api } from '../../../lib/api';

/**
 * The lists the managers' filters and pickers choose from: campaigns, teams, people, end reasons.
 * Campaigns and teams come from APIs still being built, so their answers are read loosely (an
 * array, or an object holding one, of items with a numeric `id` and a string `name`) and a
 * missing route simply leaves the list empty: the pages then offer what their rows show.
 */

export interface Option {
  id: number;
  name: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Items with an id and a name, from `[...]` or `{ <key>: [...] }` / `{ items: [...] }`. */
export function readNamedList(data: unknown, key: string): Option[] {
  const list: unknown = Array.isArray(data)
    ? data
    : isRecord(data)
      ? [data[key], data.items, data.data].find((v) => Array.isArray(v))
      : undefined;
  if (!Array.isArray(list)) return [];
  const out: Option[] = [];
  for (const item of list as unknown[]) {
    if (isRecord(item) && typeof item.id === 'number' && typeof item.name === 'string') {
      out.push({ id: item.id, name: item.name });
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

const REFERENCE_STALE_TIME = 5 * 60_000;

function useNamedList(path: string, key: string) {
  return useQuery({
    queryKey: ['reference', key],
    queryFn: ({ signal }) => api('GET', path, undefined, { parse: (d) => readNamedList(d, key) }, { signal }),
    staleTime: REFERENCE_STALE_TIME,
    retry: false,
  });
}

export const useCampaignOptions = () => useNamedList('/api/campaigns', 'campaigns');
export const useTeamOptions = () => useNamedList('/api/teams', 'teams');
/** Every user (agents and the managers who also call), for the "Agent" filter. */
export const usePeopleOptions = () => useNamedList('/api/users', 'users');

export function useEndReasonOptions() {
  return useQuery({
    queryKey: ['reasons', 'end'],
    queryFn: ({ signal }): Promise<EndReason[]> =>
      api('GET', '/api/end-reasons', undefined, endReasonListSchema, { signal }),
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
