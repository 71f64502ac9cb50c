import type { ApiErrorCode } from './api-error';

/** A short heading for an error toast; the message itself comes from the server. */
export function errorTitle(code: ApiErrorCode): string {
  switch (code) {
    case 'bad_request':
    case 'validation_failed':
    case 'malformed_json':
    case 'payload_too_large':
    case 'unsupported_media_type':
      return 'Check what you entered';
    case 'unauthenticated':
    case 'session_expired':
      return 'Please sign in again';
    case 'forbidden':
    case 'cross_site_request':
      return 'Not allowed';
    case 'password_change_required':
      return 'Choose your own password';
    case 'not_found':
    case 'route_not_found':
      return 'Not found';
    case 'conflict':
    case 'idempotency_key_reused':
      return 'Could not be done';
    case 'rate_limited':
      return 'Too many attempts';
    case 'shift_already_open':
      return 'Shift already open';
    case 'no_open_shift':
      return 'No shift open';
    case 'not_ready':
    case 'inbound_only':
    case 'offer_pending':
    case 'call_open':
    case 'on_break':
    case 'not_on_break':
      return 'Not possible right now';
    case 'not_team_member':
    case 'campaign_not_worked_by_team':
    case 'campaign_not_active':
      return 'Campaign not available';
    case 'offer_not_found':
    case 'offer_expired':
      return 'Donor no longer held for you';
    case 'call_not_found':
    case 'call_already_ended':
      return 'Call not open';
    case 'appointment_required':
    case 'appointment_not_allowed':
      return 'Check the call-back';
    case 'reason_not_available':
      return 'Reason not available';
    case 'telephony_off':
      return 'No phone system connected';
    case 'card_number_refused':
      return 'Card numbers are never stored';
    case 'currency_not_accepted':
      return 'Currency not accepted';
    case 'no_call_with_donor':
    case 'donation_call_closed':
      return 'No call to record it on';
    case 'call_outside_your_teams':
      return 'Not your team';
    case 'invalid_transition':
      return 'Not possible now';
    case 'in_use':
      return 'Still in use';
    case 'unsupported_encoding':
      return 'File encoding not supported';
    case 'csv_invalid':
      return 'File not readable';
    case 'too_many_imports':
      return 'Too many imports at once';
    case 'too_many_streams':
      return 'Live updates paused';
    case 'internal_error':
    case 'service_unavailable':
      return 'Server problem';
    case 'network_error':
      return 'No connection';
    case 'invalid_response':
      return 'Unexpected answer';
  }
}
