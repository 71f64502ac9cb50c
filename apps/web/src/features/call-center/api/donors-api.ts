import { donationSchema, donorProfileSchema } from '@engage/contracts';
import type { Donation, DonorProfile, RecordDonationBody } from '@engage/contracts';
import { api } from '../../../lib/api';

export function getDonor(donorId: number, signal?: AbortSignal): Promise<DonorProfile> {
  return api('GET', `/api/donors/${donorId}`, undefined, donorProfileSchema, { signal });
}

export function recordDonation(donorId: number, body: RecordDonationBody, idempotencyKey: string): Promise<Donation> {
  return api('POST', `/api/donors/${donorId}/donations`, body, donationSchema, {
    headers: { 'Idempotency-Key': idempotencyKey },
  });
}
