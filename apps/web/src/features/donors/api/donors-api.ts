import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DonorDetails, UpdateDonorBody } from '@engage/contracts';
import { apiCall } from '../../../lib/api';
import { agentTimeZone } from '../../../lib/time';
import { auditKeys } from '../../audit/api/audit-api';

/** Query keys of the manager's donor pages (the agent's profile is ['donor', id], another shape). */
export const donorsKeys = {
  search: (q: string, filters: DonorFilters, page: number, pageSize: number) =>
    ['donors', 'search', q, filters, page, pageSize] as const,
  donor: (id: number) => ['donors', 'details', id] as const,
};

/** The filters beside the donor search box, as kept in the page's address; null: any. */
export interface DonorFilters {
  country: string | null;
  doNotCall: 'true' | 'false' | null;
  deceased: 'true' | 'false' | null;
  listId: string | null;
  lastGiftFrom: string | null;
  lastGiftTo: string | null;
}

export const DONOR_FILTER_KEYS = ['country', 'doNotCall', 'deceased', 'listId', 'lastGiftFrom', 'lastGiftTo'] as const;

export function donorFiltersFromSearch(params: URLSearchParams): DonorFilters {
  const yesNo = (k: string) => {
    const v = params.get(k);
    return v === 'true' || v === 'false' ? v : null;
  };
  return {
    country: params.get('country'),
    doNotCall: yesNo('doNotCall'),
    deceased: yesNo('deceased'),
    listId: params.get('listId'),
    lastGiftFrom: params.get('lastGiftFrom'),
    lastGiftTo: params.get('lastGiftTo'),
  };
}

export function useDonorSearch(q: string, filters: DonorFilters, page: number, pageSize: number, enabled: boolean) {
  return useQuery({
    queryKey: donorsKeys.search(q, filters, page, pageSize),
    queryFn: ({ signal }) => {
      const query: Record<string, string | number> = { q, page, pageSize, timeZone: agentTimeZone() };
      for (const k of DONOR_FILTER_KEYS) {
        const v = filters[k];
        if (v !== null) query[k] = v;
      }
      return apiCall('searchDonors', { query }, { signal });
    },
    enabled,
    placeholderData: keepPreviousData,
  });
}

export function useDonorDetails(id: number) {
  return useQuery({
    queryKey: donorsKeys.donor(id),
    queryFn: ({ signal }) => apiCall('getDonor', { params: { donorId: id } }, { signal }),
  });
}

/** Saves a donor's edit; the caller shows the toast (its wording depends on what changed). */
export function useUpdateDonor(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateDonorBody) => apiCall('updateDonor', { params: { donorId: id }, body }),
    meta: { handlesErrors: true },
    onSuccess: async (donor: DonorDetails) => {
      queryClient.setQueryData(donorsKeys.donor(id), donor);
      await queryClient.invalidateQueries({ queryKey: ['donors', 'search'] });
      await queryClient.invalidateQueries({ queryKey: ['donor', id] });
      await queryClient.invalidateQueries({ queryKey: ['lists'] });
      await queryClient.invalidateQueries({ queryKey: auditKeys.trail('donor', id) });
    },
  });
}
