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
    case 'not_found':
    case 'route_not_found':
      return 'Not found';
    case 'conflict':
    case 'idempotency_key_reused':
      return 'Could not be done';
    case 'rate_limited':
      return 'Too many attempts';
    case 'internal_error':
    case 'service_unavailable':
      return 'Server problem';
    case 'network_error':
      return 'No connection';
    case 'invalid_response':
      return 'Unexpected answer';
  }
}
