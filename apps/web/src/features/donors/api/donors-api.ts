import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { donorDetailsSchema, donorPageSchema } from '@engage/contracts';
import type { DonorDetails, UpdateDonorBody } from '@engage/contracts';
import { api } from '../../../lib/api';
import { auditKeys } from '../../audit/api/audit-api';

/** Query keys of the manager's donor pages (the agent's profile is ['donor', id], another shape). */
export const donorsKeys = {
  search: (q: string, page: number, pageSize: number) => ['donors', 'search', q, page, pageSize] as const,
  donor: (id: number) => ['donors', 'details', id] as const,
};

export function useDonorSearch(q: string, page: number, pageSize: number, enabled: boolean) {
  return useQuery({
    queryKey: donorsKeys.search(q, page, pageSize),
    queryFn: ({ signal }) =>
      api(
        'GET',
        `/api/donors?q=${encodeURIComponent(q)}&page=${page}&pageSize=${pageSize}`,
        undefined,
        donorPageSchema,
        { signal },
      ),
    enabled,
    placeholderData: keepPreviousData,
  });
}

export function useDonorDetails(id: number) {
  return useQuery({
    queryKey: donorsKeys.donor(id),
    queryFn: ({ signal }) => api('GET', `/api/donors/${id}`, undefined, donorDetailsSchema, { signal }),
  });
}

/** Saves a donor's edit; the caller shows the toast (its wording depends on what changed). */
export function useUpdateDonor(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateDonorBody) => api('PATCH', `/api/donors/${id}`, body, donorDetailsSchema),
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
