import { formatMoney, type RecordDonationBody } from '@engage/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { isUnauthenticated } from '../../../lib/api-error';
import { notifySuccess } from '../../../lib/notify';
import { meQueryKey } from '../../../lib/session';
import { getDonor, recordDonation } from '../api/donors-api';
import { callCenterKeys } from '../api/query-keys';

/** The donor's profile; none while `donorId` is null (an inbound caller not linked to a donor). */
export function useDonor(donorId: number | null) {
  return useQuery({
    queryKey: callCenterKeys.donor(donorId ?? 0),
    queryFn: ({ signal }) => getDonor(donorId ?? 0, signal),
    enabled: donorId !== null,
  });
}

export function useRecordDonation(donorId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: RecordDonationBody; idempotencyKey: string }) =>
      recordDonation(donorId, body, idempotencyKey),
    meta: { handlesErrors: true },
    onSuccess: async (donation) => {
      notifySuccess(`Donation recorded: ${formatMoney(donation.amountMinor, donation.currency)}`);
      await queryClient.invalidateQueries({ queryKey: callCenterKeys.donor(donorId) });
    },
    onError: (error) => {
      if (isUnauthenticated(error)) queryClient.setQueryData(meQueryKey, null);
    },
  });
}
