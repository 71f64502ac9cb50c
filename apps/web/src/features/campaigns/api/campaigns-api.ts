import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import { campaignProgressSchema, campaignSchema, campaignSummaryListSchema } from '@engage/contracts';
import type { Campaign, ConnectListBody, CreateCampaignBody, UpdateCampaignBody } from '@engage/contracts';
import { api } from '../../../lib/api';
import { notifySuccess } from '../../../lib/notify';
import { auditKeys } from '../../audit/api/audit-api';

export const campaignsQueryKey = ['campaigns'] as const;
/** The app invalidates ['campaign', id] on every shift.changed event of that campaign. */
export const campaignQueryKey = (id: number) => ['campaign', id] as const;
export const campaignProgressQueryKey = (id: number) => ['campaign', id, 'progress'] as const;

export function useCampaigns() {
  return useQuery({
    queryKey: campaignsQueryKey,
    queryFn: async ({ signal }) =>
      (await api('GET', '/api/campaigns', undefined, campaignSummaryListSchema, { signal })).campaigns,
  });
}

export function useCampaign(id: number) {
  return useQuery({
    queryKey: campaignQueryKey(id),
    queryFn: ({ signal }) => api('GET', `/api/campaigns/${id}`, undefined, campaignSchema, { signal }),
    retry: (count, error) => count < 2 && !('status' in error && (error.status === 404 || error.status === 403)),
  });
}

/** The queue now; re-read on every shift change of the campaign (live events) and every 5 s. */
export function useCampaignProgress(id: number, enabled: boolean) {
  return useQuery({
    queryKey: campaignProgressQueryKey(id),
    queryFn: ({ signal }) => api('GET', `/api/campaigns/${id}/progress`, undefined, campaignProgressSchema, { signal }),
    refetchInterval: 5000,
    staleTime: 2000,
    enabled,
  });
}

export interface ListOption {
  id: number;
  name: string;
  donorCount: number | null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `{ lists: [{ id, name, donorCount? }] }` read loosely: the lists API is its own feature's. */
function readLists(data: unknown): ListOption[] {
  const raw = isRecord(data) ? data.lists : data;
  if (!Array.isArray(raw)) throw new Error('unexpected lists answer');
  const out: ListOption[] = [];
  for (const item of raw as unknown[]) {
    if (isRecord(item) && typeof item.id === 'number' && typeof item.name === 'string') {
      out.push({
        id: item.id,
        name: item.name,
        donorCount: typeof item.donorCount === 'number' ? item.donorCount : null,
      });
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** Every donor list, for the Connect list picker (GET /api/lists, operationId listLists). */
export function useListOptions(enabled: boolean) {
  return useQuery({
    queryKey: ['campaigns', 'list-options'],
    queryFn: ({ signal }) => api('GET', '/api/lists', undefined, { parse: readLists }, { signal }),
    enabled,
    retry: false,
    staleTime: 10_000,
  });
}

async function afterChange(queryClient: QueryClient, campaign: Campaign): Promise<void> {
  queryClient.setQueryData(campaignQueryKey(campaign.id), campaign);
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: campaignsQueryKey }),
    queryClient.invalidateQueries({ queryKey: campaignProgressQueryKey(campaign.id) }),
    queryClient.invalidateQueries({ queryKey: ['teams'] }),
    queryClient.invalidateQueries({ queryKey: ['lists'] }),
    queryClient.invalidateQueries({ queryKey: auditKeys.trail('campaign', campaign.id) }),
  ]);
}

function useCampaignMutation<V>(
  fn: (v: V) => Promise<Campaign>,
  success: (v: V, c: Campaign) => string,
  handlesErrors = false,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    meta: { handlesErrors },
    onSuccess: async (campaign, v) => {
      notifySuccess(success(v, campaign));
      await afterChange(queryClient, campaign);
    },
  });
}

export function useCreateCampaign() {
  return useCampaignMutation(
    (body: CreateCampaignBody) => api('POST', '/api/campaigns', body, campaignSchema),
    (_v, c) => `Campaign ${c.name} created as a draft`,
    true,
  );
}

export function useUpdateCampaign(id: number) {
  return useCampaignMutation(
    (v: { body: UpdateCampaignBody; message: string }) => api('PATCH', `/api/campaigns/${id}`, v.body, campaignSchema),
    (v) => v.message,
    true,
  );
}

/** Status changes: the server's refusal (e.g. no list connected) shows as a toast. */
export function useSetCampaignStatus(id: number) {
  return useCampaignMutation(
    (v: { status: Campaign['status']; message: string }) =>
      api('PATCH', `/api/campaigns/${id}`, { status: v.status }, campaignSchema),
    (v) => v.message,
  );
}

export function useSetCampaignTeams(id: number) {
  return useCampaignMutation(
    (teamIds: number[]) => api('PUT', `/api/campaigns/${id}/teams`, { teamIds }, campaignSchema),
    () => 'Teams saved',
  );
}

export function useConnectList(id: number) {
  return useCampaignMutation(
    (v: ConnectListBody & { name: string }) =>
      api('POST', `/api/campaigns/${id}/lists`, { listId: v.listId, priority: v.priority }, campaignSchema),
    (v) => `${v.name} connected: its donors are in the queue`,
    true,
  );
}

export function useSetListPriority(id: number) {
  return useCampaignMutation(
    (v: { listId: number; priority: number; name: string }) =>
      api('PATCH', `/api/campaigns/${id}/lists/${v.listId}`, { priority: v.priority }, campaignSchema),
    (v) => `${v.name} now at priority ${v.priority}`,
  );
}

export function useDisconnectList(id: number) {
  return useCampaignMutation(
    (v: { listId: number; name: string }) =>
      api('DELETE', `/api/campaigns/${id}/lists/${v.listId}`, {}, campaignSchema),
    (v) => `${v.name} disconnected`,
  );
}
