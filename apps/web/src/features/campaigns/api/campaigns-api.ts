import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import type { Campaign, ConnectListBody, CreateCampaignBody, UpdateCampaignBody } from '@engage/contracts';
import { apiCall } from '../../../lib/api';
import { notifySuccess } from '../../../lib/notify';
import { auditKeys } from '../../audit/api/audit-api';

export const campaignsQueryKey = ['campaigns'] as const;
/** The app invalidates ['campaign', id] on every shift.changed event of that campaign. */
export const campaignQueryKey = (id: number) => ['campaign', id] as const;
export const campaignProgressQueryKey = (id: number) => ['campaign', id, 'progress'] as const;

export function useCampaigns() {
  return useQuery({
    queryKey: campaignsQueryKey,
    queryFn: async ({ signal }) => (await apiCall('listCampaigns', { query: {} }, { signal })).campaigns,
  });
}

export function useCampaign(id: number) {
  return useQuery({
    queryKey: campaignQueryKey(id),
    queryFn: ({ signal }) => apiCall('getCampaign', { params: { campaignId: id } }, { signal }),
    retry: (count, error) => count < 2 && !('status' in error && (error.status === 404 || error.status === 403)),
  });
}

/** The queue now; re-read on every shift change of the campaign (live events) and every 5 s. */
export function useCampaignProgress(id: number, enabled: boolean) {
  return useQuery({
    queryKey: campaignProgressQueryKey(id),
    queryFn: ({ signal }) => apiCall('getCampaignProgress', { params: { campaignId: id } }, { signal }),
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

/** The lists as the picker offers them, by name. */
async function listOptions(signal: AbortSignal): Promise<ListOption[]> {
  const { lists } = await apiCall('listLists', {}, { signal });
  return lists
    .map(({ id, name, donorCount }) => ({ id, name, donorCount }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Every donor list, for the Connect list picker (GET /api/lists, operationId listLists). */
export function useListOptions(enabled: boolean) {
  return useQuery({
    queryKey: ['campaigns', 'list-options'],
    queryFn: ({ signal }) => listOptions(signal),
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
    (body: CreateCampaignBody) => apiCall('createCampaign', { body }),
    (_v, c) => `Campaign ${c.name} created as a draft`,
    true,
  );
}

export function useUpdateCampaign(id: number) {
  return useCampaignMutation(
    (v: { body: UpdateCampaignBody; message: string }) =>
      apiCall('updateCampaign', { params: { campaignId: id }, body: v.body }),
    (v) => v.message,
    true,
  );
}

/** Status changes: the server's refusal (e.g. no list connected) shows as a toast. */
export function useSetCampaignStatus(id: number) {
  return useCampaignMutation(
    (v: { status: Campaign['status']; message: string }) =>
      apiCall('updateCampaign', { params: { campaignId: id }, body: { status: v.status } }),
    (v) => v.message,
  );
}

export function useSetCampaignTeams(id: number) {
  return useCampaignMutation(
    (teamIds: number[]) => apiCall('setCampaignTeams', { params: { campaignId: id }, body: { teamIds } }),
    () => 'Teams saved',
  );
}

export function useConnectList(id: number) {
  return useCampaignMutation(
    (v: ConnectListBody & { name: string }) =>
      apiCall('connectList', { params: { campaignId: id }, body: { listId: v.listId, priority: v.priority } }),
    (v) => `${v.name} connected: its donors are in the queue`,
    true,
  );
}

export function useSetListPriority(id: number) {
  return useCampaignMutation(
    (v: { listId: number; priority: number; name: string }) =>
      apiCall('setListPriority', { params: { campaignId: id, listId: v.listId }, body: { priority: v.priority } }),
    (v) => `${v.name} now at priority ${v.priority}`,
  );
}

export function useDisconnectList(id: number) {
  return useCampaignMutation(
    (v: { listId: number; name: string }) =>
      apiCall('disconnectList', { params: { campaignId: id, listId: v.listId } }),
    (v) => `${v.name} disconnected`,
  );
}
