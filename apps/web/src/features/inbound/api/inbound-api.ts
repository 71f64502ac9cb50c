import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateInboundLineBody, UpdateInboundLineBody } from '@engage/contracts';
import { apiCall } from '../../../lib/api';
import { auditKeys } from '../../audit/api/audit-api';
import { notifySuccess } from '../../../lib/notify';

/** The inbound lines the signed-in manager may change (an admin: every line). */
export const inboundLinesQueryKey = ['inbound', 'lines'] as const;
/** The phone systems' tokens (administrators). */
export const phoneSystemTokensQueryKey = ['inbound', 'phone-system-tokens'] as const;

export function useInboundLines() {
  return useQuery({
    queryKey: inboundLinesQueryKey,
    queryFn: async ({ signal }) => (await apiCall('listInboundLines', {}, { signal })).lines,
  });
}

/** Creates a line (no id) or changes one; the form shows the refusals itself. */
export function useSaveInboundLine() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: null; body: CreateInboundLineBody } | { id: number; body: UpdateInboundLineBody }) =>
      v.id === null
        ? apiCall('createInboundLine', { body: v.body })
        : apiCall('updateInboundLine', { params: { lineId: v.id }, body: v.body }),
    meta: { handlesErrors: true },
    onSuccess: async (line, v) => {
      notifySuccess(v.id === null ? `Line ${line.name} created` : `Line ${line.name} saved`);
      // A new line may have made the "General enquiries" campaign.
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: inboundLinesQueryKey }),
        queryClient.invalidateQueries({ queryKey: ['campaigns'] }),
        queryClient.invalidateQueries({ queryKey: auditKeys.trail('inbound_line', line.id) }),
      ]);
    },
  });
}

export function usePhoneSystemTokens() {
  return useQuery({
    queryKey: phoneSystemTokensQueryKey,
    queryFn: async ({ signal }) => (await apiCall('listPhoneSystemTokens', {}, { signal })).tokens,
  });
}

/** Creates a token: the answer carries the token itself, this once; the page shows it and forgets it. */
export function useCreatePhoneSystemToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => apiCall('createPhoneSystemToken', { body: { name } }),
    meta: { handlesErrors: true },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: phoneSystemTokensQueryKey });
    },
  });
}

export function useRevokePhoneSystemToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id }: { id: number; name: string }) =>
      apiCall('revokePhoneSystemToken', { params: { tokenId: id } }),
    onSuccess: async (_token, v) => {
      notifySuccess(`${v.name} is revoked: requests with its token are refused from now on`);
      await queryClient.invalidateQueries({ queryKey: phoneSystemTokensQueryKey });
    },
  });
}
