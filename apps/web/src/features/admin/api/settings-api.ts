import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AdminBreakReason, AdminEndReason, AdminJobRole, AdminSkipReason, OperationId } from '@engage/contracts';
import { apiCall } from '../../../lib/api';
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

/** Each kind's operations in the contracts' table (`listAllJobRoles`, `createJobRole`, …). */
const operationNames = {
  'job-roles': 'JobRole',
  'skip-reasons': 'SkipReason',
  'end-reasons': 'EndReason',
  'break-reasons': 'BreakReason',
} as const satisfies Record<SettingsKind, string>;

type ItemOperation = 'create' | 'update' | 'retire' | 'restore';

/**
 * The four kinds share one set of hooks, so a call names its operation from the kind; the union of
 * the four operations' types is narrowed back to the kind's item here, in one place.
 */
async function listCall<K extends SettingsKind>(
  kind: K,
  op: 'listAll' | 'reorder',
  input: { body?: { ids: number[] } },
  signal?: AbortSignal,
): Promise<SettingsItems[K][]> {
  const id = `${op}${operationNames[kind]}s` satisfies OperationId;
  const { items } = (await apiCall(id, input as never, { signal })) as { items: SettingsItems[K][] };
  return items;
}
async function itemCall<K extends SettingsKind>(
  kind: K,
  op: ItemOperation,
  input: { params?: { id: number }; body?: Record<string, unknown> },
): Promise<SettingsItems[K]> {
  const id = `${op}${operationNames[kind]}` satisfies OperationId;
  return (await apiCall(id, input as never)) as SettingsItems[K];
}

/** How each kind is named: one, with its article ("an end reason"), and many. */
export const settingsNouns: Record<SettingsKind, { one: string; aOne: string; many: string }> = {
  'job-roles': { one: 'job role', aOne: 'a job role', many: 'job roles' },
  'skip-reasons': { one: 'skip reason', aOne: 'a skip reason', many: 'skip reasons' },
  'end-reasons': { one: 'end reason', aOne: 'an end reason', many: 'end reasons' },
  'break-reasons': { one: 'break reason', aOne: 'a break reason', many: 'break reasons' },
};

export const settingsQueryKey = (kind: SettingsKind) => ['settings', kind] as const;

/** Every item of a kind, retired ones too, in order. */
export function useSettingsItems<K extends SettingsKind>(kind: K) {
  return useQuery({
    queryKey: settingsQueryKey(kind),
    queryFn: ({ signal }) => listCall(kind, 'listAll', {}, signal),
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
      id === null ? itemCall(kind, 'create', { body }) : itemCall(kind, 'update', { params: { id }, body }),
    (v, item) => (v.id === null ? `${item.name} added` : `${item.name} saved`),
    true,
  );
}

export function useReorderSettings<K extends SettingsKind>(kind: K) {
  const queryClient = useQueryClient();
  return useSettingsMutation(
    kind,
    async ({ ids }: { ids: number[]; name: string }) => {
      const items = await listCall(kind, 'reorder', { body: { ids } });
      queryClient.setQueryData(settingsQueryKey(kind), items);
      return items;
    },
    (v) => `${v.name} moved`,
  );
}

export function useRetireSettingsItem<K extends SettingsKind>(kind: K) {
  return useSettingsMutation(
    kind,
    ({ id }: { id: number }) => itemCall(kind, 'retire', { params: { id } }),
    (_v, item) => `${item.name} retired: no longer offered, kept on old records`,
  );
}

export function useRestoreSettingsItem<K extends SettingsKind>(kind: K) {
  return useSettingsMutation(
    kind,
    ({ id }: { id: number }) => itemCall(kind, 'restore', { params: { id } }),
    (_v, item) => `${item.name} restored: offered again`,
  );
}
