import { z } from 'zod';

/**
 * The refusals the dialer's database routines raise (dialer_refuse in
 * apps/server/src/features/dialer/sql: SQLSTATE EG001, the code as message). The server reads
 * them with this enum and turns each into the error the API answers, in one exhaustive switch
 * (`refused` in dialer.service.ts); a test holds the enum to the codes the `.sql` files raise.
 * They never reach the browser as such: the API answers the error codes of errors.ts.
 */
export const dialerRefusalCodeSchema = z.enum([
  'no_open_shift',
  'shift_not_ready',
  'campaign_not_workable',
  'offer_not_found',
  'offer_of_another_agent',
  'offer_expired',
  'skip_reason_not_available',
  'end_reason_not_available',
  'end_reason_wrong_direction',
  'idempotency_key_reused',
  'call_not_found',
  'call_of_another_agent',
  'call_already_ended',
  'appointment_not_allowed',
  'appointment_required',
  'appointment_without_campaign',
  'callback_already_booked',
  'inbound_ringing',
  'job_role_inbound_only',
]);
export type DialerRefusalCode = z.infer<typeof dialerRefusalCodeSchema>;

/**
 * Why a campaign cannot be worked now (engage_campaign_unworkable in the database): not active,
 * today outside its dates, or no donor list connected.
 */
export const campaignUnworkableSchema = z.enum(['not_active', 'not_in_dates', 'no_lists']);
export type CampaignUnworkable = z.infer<typeof campaignUnworkableSchema>;
