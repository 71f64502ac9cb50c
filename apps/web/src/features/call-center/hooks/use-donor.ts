import { formatMoney, type RecordDonationBody } from '@engage/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { isUnauthenticated } from '../../../lib/api-error';
import { notifySuccess } from '../../../lib/notify';
import { meQueryKey } from '../../../lib/session';
import { getDonor, recordDonation } from '../api/donors-api';
import { callCenterKeys } from '../api/query-keys';

export function useDonor(donorId: number) {
  return useQuery({
    queryKey: callCenterKeys.donor(donorId),
    queryFn: ({ signal }) => getDonor(donorId, signal),
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
