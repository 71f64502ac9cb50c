import { z } from 'zod';
import { freeText } from './free-text';
import { amountMinorSchema, currencyCodeSchema } from './money';
import { idSchema } from './ids';

const isoInstant = z.iso.datetime({ offset: true });

export const donationMethods = ['card', 'direct_debit', 'bank_transfer', 'cash', 'cheque', 'other'] as const;
export const donationFrequencies = ['one_off', 'monthly', 'quarterly', 'yearly'] as const;

export const donationSchema = z
  .object({
    id: z.number().int(),
    amountMinor: z.number().int(),
    currency: z.string(),
    purpose: z.string(),
    method: z.enum(donationMethods),
    frequency: z.enum(donationFrequencies),
    paymentReference: z.string().nullable(),
    callId: z.number().int().nullable(),
    donatedAt: isoInstant,
  })
  .meta({ id: 'Donation' });
export type Donation = z.infer<typeof donationSchema>;

export const recordDonationBodySchema = z.object({
  amount: amountMinorSchema,
  currency: currencyCodeSchema.describe("ISO 4217 code; one of the organisation's currencies"),
  purpose: freeText(200).min(1, 'Enter what the gift is for').default('General fund'),
  method: z.enum(donationMethods).default('card'),
  frequency: z.enum(donationFrequencies).default('one_off'),
  paymentReference: freeText(100).optional().describe("The payment system's reference; never a card number"),
  callId: idSchema.optional(),
});
export type RecordDonationBody = z.infer<typeof recordDonationBodySchema>;

export const sponsorshipSchema = z.object({
  id: z.number().int(),
  subject: z.string(),
  amountMinor: z.number().int(),
  currency: z.string(),
  frequency: z.enum(donationFrequencies),
  status: z.enum(['active', 'paused', 'lapsed', 'cancelled']),
  startedOn: z.string(),
});
export const paymentSchema = z.object({
  id: z.number().int(),
  amountMinor: z.number().int(),
  currency: z.string(),
  method: z.enum(donationMethods),
  status: z.enum(['succeeded', 'failed']),
  failureReason: z.string().nullable(),
  dueOn: z.string(),
  resolution: z.string().nullable(),
});
export const timelineItemSchema = z.object({
  kind: z.enum(['call', 'appointment', 'note', 'donation']),
  at: isoInstant,
  title: z.string(),
  detail: z.string(),
});

export const donorProfileSchema = z
  .object({
    id: z.number().int(),
    reference: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    name: z.string(),
    phone: z.string().nullable(),
    altPhone: z.string().nullable(),
    email: z.string().nullable(),
    address: z.string().describe('One line, for display'),
    country: z.string().nullable(),
    timeZone: z.string(),
    language: z.string().nullable(),
    doNotCall: z.boolean(),
    deceased: z.boolean(),
    notes: z.string(),
    donations: z.array(donationSchema),
    sponsorships: z.array(sponsorshipSchema),
    payments: z.array(paymentSchema).describe('Most recent first; failed ones show what was done'),
    timeline: z.array(timelineItemSchema),
  })
  .meta({ id: 'DonorProfile' });
export type DonorProfile = z.infer<typeof donorProfileSchema>;
