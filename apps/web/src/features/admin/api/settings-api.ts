import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  adminBreakReasonListSchema,
  adminBreakReasonSchema,
  adminEndReasonListSchema,
  adminEndReasonSchema,
  adminJobRoleListSchema,
  adminJobRoleSchema,
  adminSkipReasonListSchema,
  adminSkipReasonSchema,
} from '@engage/contracts';
import type { AdminBreakReason, AdminEndReason, AdminJobRole, AdminSkipReason } from '@engage/contracts';
import { api, type ResponseSchema } from '../../../lib/api';
import { notifySuccess } from '../../../lib/notify';

/** The four settings lists, by their path under /api/settings. */
export type SettingsKind = 'job-roles' | 'skip-reasons' | 'end-reasons' | 'break-reasons';

export interface SettingsItems {
  'job-roles': AdminJobRole;
  'skip-reasons': AdminSkipReason;
  'end-reasons': AdminEndReason;
  'break-reasons': AdminBreakReason;
}
export type AnySettingsItem = SettingsItems[SettingsKind];

const listSchemas = {
  'job-roles': adminJobRoleListSchema,
  'skip-reasons': adminSkipReasonListSchema,
  'end-reasons': adminEndReasonListSchema,
  'break-reasons': adminBreakReasonListSchema,
};
const itemSchemas = {
  'job-roles': adminJobRoleSchema,
  'skip-reasons': adminSkipReasonSchema,
  'end-reasons': adminEndReasonSchema,
  'break-reasons': adminBreakReasonSchema,
};

/** How each kind is named: one, with its article ("an end reason"), and many. */
export const settingsNouns: Record<SettingsKind, { one: string; aOne: string; many: string }> = {
  'job-roles': { one: 'job role', aOne: 'a job role', many: 'job roles' },
  'skip-reasons': { one: 'skip reason', aOne: 'a skip reason', many: 'skip reasons' },
  'end-reasons': { one: 'end reason', aOne: 'an end reason', many: 'end reasons' },
  'break-reasons': { one: 'break reason', aOne: 'a break reason', many: 'break reasons' },
};

export const settingsQueryKey = (kind: SettingsKind) => ['settings', kind] as const;

function listSchema<K extends SettingsKind>(kind: K) {
  return listSchemas[kind] as unknown as ResponseSchema<{ items: SettingsItems[K][] }>;
}
function itemSchema<K extends SettingsKind>(kind: K) {
  return itemSchemas[kind] as unknown as ResponseSchema<SettingsItems[K]>;
}

/** Every item of a kind, retired ones too, in order. */
export function useSettingsItems<K extends SettingsKind>(kind: K) {
  return useQuery({
    queryKey: settingsQueryKey(kind),
    queryFn: async ({ signal }) =>
      (await api('GET', `/api/settings/${kind}`, undefined, listSchema(kind), { signal })).items,
  });
}

function useSettingsMutation<K extends SettingsKind, V, R>(
  kind: K,
  fn: (v: V) => Promise<R>,
  success: (v: V, result: R) => string,
  handlesErrors = false,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    meta: { handlesErrors },
    onSuccess: async (result, v) => {
      notifySuccess(success(v, result));
      // The agents' pickers (Sign In, Skip, End Call, Take Break) read ['reasons', ...].
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: settingsQueryKey(kind) }),
        queryClient.invalidateQueries({ queryKey: ['reasons'] }),
      ]);
    },
  });
}

/** Adds an item (no id) or changes one. */
export function useSaveSettingsItem<K extends SettingsKind>(kind: K) {
  return useSettingsMutation(
    kind,
    ({ id, body }: { id: number | null; body: Record<string, unknown> }) =>
      id === null
        ? api('POST', `/api/settings/${kind}`, body, itemSchema(kind))
        : api('PATCH', `/api/settings/${kind}/${id}`, body, itemSchema(kind)),
    (v, item) => (v.id === null ? `${item.name} added` : `${item.name} saved`),
    true,
  );
}

export function useReorderSettings<K extends SettingsKind>(kind: K) {
  const queryClient = useQueryClient();
  return useSettingsMutation(
    kind,
    async ({ ids }: { ids: number[]; name: string }) => {
      const { items } = await api('PUT', `/api/settings/${kind}/order`, { ids }, listSchema(kind));
      queryClient.setQueryData(settingsQueryKey(kind), items);
      return items;
    },
    (v) => `${v.name} moved`,
  );
}

export function useRetireSettingsItem<K extends SettingsKind>(kind: K) {
  return useSettingsMutation(
    kind,
    ({ id }: { id: number }) => api('POST', `/api/settings/${kind}/${id}/retire`, {}, itemSchema(kind)),
    (_v, item) => `${item.name} retired: no longer offered, kept on old records`,
  );
}

export function useRestoreSettingsItem<K extends SettingsKind>(kind: K) {
  return useSettingsMutation(
    kind,
    ({ id }: { id: number }) => api('POST', `/api/settings/${kind}/${id}/restore`, {}, itemSchema(kind)),
    (_v, item) => `${item.name} restored: offered again`,
  );
}
