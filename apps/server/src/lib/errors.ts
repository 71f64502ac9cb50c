import { DrizzleQueryError } from 'drizzle-orm/errors';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { CARD_NUMBER_MESSAGE, type ErrorCode, type ErrorIssue, type ErrorResponse } from '@engage/contracts';

/** The one table from error code to HTTP status. */
export const errorStatus: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 400,
  malformed_json: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unauthenticated: 401,
  session_expired: 401,
  forbidden: 403,
  cross_site_request: 403,
  password_change_required: 403,
  not_found: 404,
  route_not_found: 404,
  conflict: 409,
  idempotency_key_reused: 422,
  shift_already_open: 409,
  no_open_shift: 409,
  not_ready: 409,
  inbound_only: 409,
  offer_pending: 409,
  call_open: 409,
  on_break: 409,
  not_on_break: 409,
  not_team_member: 403,
  campaign_not_worked_by_team: 409,
  campaign_not_active: 409,
  offer_not_found: 404,
  offer_expired: 409,
  call_not_found: 404,
  telephony_off: 409,
  call_already_ended: 409,
  appointment_required: 400,
  appointment_not_allowed: 400,
  reason_not_available: 409,
  card_number_refused: 400,
  currency_not_accepted: 400,
  no_call_with_donor: 403,
  donation_call_closed: 409,
  call_outside_your_teams: 403,
  invalid_transition: 409,
  in_use: 409,
  unsupported_encoding: 415,
  csv_invalid: 400,
  too_many_imports: 429,
  too_many_streams: 503,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
};

/** The one error type services throw. `message` is shown to the user: say what to do next. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly opts: { issues?: ErrorIssue[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export function errorBody(code: ErrorCode, message: string, requestId: string, issues?: ErrorIssue[]): ErrorResponse {
  return issues && issues.length > 0 ? { code, message, issues, requestId } : { code, message, requestId };
}

function isFastifyError(err: unknown): err is FastifyError {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string';
}

/** SQLSTATEs that say the connection is gone or refused, not that the request was wrong. */
const CONNECTION_LOST_STATES = new Set([
  '57P01', // admin_shutdown: pg_terminate_backend, or the server stopping
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '53300', // too_many_connections
  '25P03', // idle_in_transaction_session_timeout
]);
/** Errors of the pg client itself, or of its socket (the server makes no other outgoing connection). */
const CONNECTION_LOST_MESSAGE =
  /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect)/;
const SOCKET_ERRORS = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE']);

/**
 * A database failure that is no fault of the request: the connection was lost (the server
 * stopped or ended it) or the statement ran past DB_STATEMENT_TIMEOUT_MS (57014). Both answer 503.
 */
export function databaseTrouble(failure: unknown): 'connection_lost' | 'timed_out' | null {
  const err = databaseError(failure);
  if (typeof err !== 'object' || err === null) return null;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code === '57014') return 'timed_out';
    if (CONNECTION_LOST_STATES.has(code) || /^08[0-9A-Z]{3}$/.test(code) || SOCKET_ERRORS.has(code)) {
      return 'connection_lost';
    }
  }
  if (err instanceof Error && CONNECTION_LOST_MESSAGE.test(err.message)) return 'connection_lost';
  return null;
}

/**
 * The error PostgreSQL (or the socket) raised for a failed statement: Drizzle wraps it in an error
 * of its own (DrizzleQueryError) whose `cause` it is; anything else is returned as it is.
 */
export function databaseError(err: unknown): unknown {
  return err instanceof Error && !('code' in err) && err.cause !== undefined ? err.cause : err;
}

/** The SQLSTATE of a failed statement (`23505`, `40001`, a routine's own `EG001`), else undefined. */
export function sqlState(err: unknown): string | undefined {
  const code = (databaseError(err) as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * What a log line says of an error (lib/logger.ts's `err` serializer). Drizzle's wrapper carries
 * the failed statement's parameters (donors' names, phones, addresses) in its message and fields:
 * the error it wraps and the SQL are logged, never the parameters.
 */
export function loggable(err: unknown): { error: unknown; query?: string } {
  return err instanceof DrizzleQueryError ? { error: databaseError(err), query: err.query } : { error: err };
}

/** PostgreSQL's unique_violation (23505). */
export function isUniqueViolation(err: unknown): boolean {
  return sqlState(err) === '23505';
}

/** Translates anything thrown into the one public error shape; never leaks a stack or SQL. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  switch (databaseTrouble(err)) {
    case 'connection_lost':
      return new AppError(
        'service_unavailable',
        'The connection to the database was interrupted. Try again in a moment; if it keeps happening, tell your administrator.',
        { headers: { 'retry-after': '2' } },
      );
    case 'timed_out':
      return new AppError(
        'service_unavailable',
        'This took too long and was stopped, so nothing was changed. Try again in a moment; if it keeps happening, tell your administrator.',
        { headers: { 'retry-after': '5' } },
      );
    case null:
      break;
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = err.validationContext ?? 'body';
    const issues = err.validation.map((v) => ({
      path: [where, ...v.instancePath.split('/').filter(Boolean)].join('.'),
      message: v.message ?? 'Invalid value',
    }));
    // A card number is refused with its own code and a message that says what to do instead.
    if (issues.some((i) => i.message === CARD_NUMBER_MESSAGE)) {
      return new AppError('card_number_refused', CARD_NUMBER_MESSAGE, { issues });
    }
    return new AppError('validation_failed', 'Some fields are not valid. Correct them and try again.', { issues });
  }
  if (isFastifyError(err)) {
    switch (err.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return new AppError('malformed_json', 'The request body is not valid JSON. Send a well-formed JSON document.');
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return new AppError('malformed_json', 'The request body is empty. Send a JSON document, even "{}".');
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return new AppError('payload_too_large', 'The request body is too large. Send a smaller request.');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return new AppError(
          'unsupported_media_type',
          'This content type is not accepted here. Send JSON with "Content-Type: application/json".',
        );
      case 'FST_ERR_VALIDATION':
        return new AppError('validation_failed', 'Some fields are not valid. Correct them and try again.');
      default:
        break;
    }
    if (err.statusCode === 413) return new AppError('payload_too_large', 'The request body is too large.');
    if (err.statusCode === 404) return new AppError('not_found', 'Not found.');
    if (err.statusCode === 400) return new AppError('bad_request', 'The request could not be understood.');
  }
  return new AppError(
    'internal_error',
    'Something went wrong on our side. Try again; if it keeps happening, tell your administrator.',
  );
}

export function errorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const appErr = toAppError(err);
  if (appErr.status >= 500 && err instanceof AppError) {
    req.log.warn({ code: appErr.code }, 'request refused'); // on purpose (a limit), not a fault
  } else if (appErr.status >= 500) {
    if (isResponseSerializationError(err)) {
      req.log.error({ err, issues: (err as { cause?: unknown }).cause }, 'response did not match its schema');
    } else {
      req.log.error({ err }, 'unhandled error');
    }
  } else {
    // The code and the fields, never the message: messages may quote what the user sent.
    const fields = appErr.opts.issues?.map((i) => i.path);
    req.log.info({ code: appErr.code, ...(fields?.length ? { fields } : {}) }, 'request refused');
  }
  for (const [k, v] of Object.entries(appErr.opts.headers ?? {})) void reply.header(k, v);
  void reply.status(appErr.status).send(errorBody(appErr.code, appErr.message, req.id, appErr.opts.issues));
}
