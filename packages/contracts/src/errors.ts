import { z } from 'zod';

/**
 * Every error the API can answer with. The server maps each code to one HTTP status
 * (apps/server/src/lib/errors.ts); the web client shows `message` and, for validation
 * errors, the per-field `issues`.
 */
export const errorCodes = [
  'bad_request',
  'validation_failed',
  'malformed_json',
  'payload_too_large',
  'unsupported_media_type',
  'unauthenticated',
  'session_expired',
  'forbidden',
  'cross_site_request',
  'password_change_required',
  'not_found',
  'route_not_found',
  'conflict',
  'rate_limited',
  'idempotency_key_reused',
  // The agent's shift and the dialer
  'shift_already_open',
  'no_open_shift',
  'not_ready',
  'inbound_only',
  'offer_pending',
  'call_open',
  'on_break',
  'not_on_break',
  'not_team_member',
  'campaign_not_worked_by_team',
  'campaign_not_active',
  'offer_not_found',
  'offer_expired',
  'call_not_found',
  'call_already_ended',
  'appointment_required',
  'appointment_not_allowed',
  'reason_not_available',
  // Money, donations and what is never stored
  'card_number_refused',
  'currency_not_accepted',
  'no_call_with_donor',
  'donation_call_closed',
  'call_outside_your_teams',
  // Administration, lists and imports
  'invalid_transition',
  'in_use',
  'unsupported_encoding',
  'csv_invalid',
  // The phone system (features/telephony)
  'telephony_off',
  // Capacity: what one instance runs at once
  'too_many_imports',
  'too_many_streams',
  'internal_error',
  'service_unavailable',
] as const;
export const errorCodeSchema = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const errorIssueSchema = z.object({
  path: z.string().describe('Dotted path of the offending field, e.g. "body.email"'),
  message: z.string(),
});
export type ErrorIssue = z.infer<typeof errorIssueSchema>;

export const errorResponseSchema = z
  .object({
    code: errorCodeSchema,
    message: z.string().describe('What went wrong and what to do next, in plain words'),
    issues: z.array(errorIssueSchema).optional(),
    requestId: z.string(),
  })
  .meta({ id: 'Error' });
export type ErrorResponse = z.infer<typeof errorResponseSchema>;
