import type { Donation, DonorProfile, RecordDonationBody } from '@engage/contracts';
import { apiCall } from '../../../lib/api';

export function getDonor(donorId: number, signal?: AbortSignal): Promise<DonorProfile> {
  return apiCall('getDonor', { params: { donorId } }, { signal });
}

export function recordDonation(donorId: number, body: RecordDonationBody, idempotencyKey: string): Promise<Donation> {
  return apiCall('recordDonation', { params: { donorId }, body }, { headers: { 'Idempotency-Key': idempotencyKey } });
}
