import type { ErrorCode, ErrorIssue } from '@engage/contracts';

/** Codes the client raises itself, when no usable answer came from the server. */
export type ClientErrorCode = 'network_error' | 'invalid_response';
export type ApiErrorCode = ErrorCode | ClientErrorCode;

/** The one error type thrown by `api()`: the server's error shape plus the HTTP status. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: ApiErrorCode;
  /** HTTP status; 0 when the server could not be reached. */
  readonly status: number;
  readonly issues: readonly ErrorIssue[];
  readonly requestId: string | undefined;

  constructor(init: {
    code: ApiErrorCode;
    message: string;
    status: number;
    issues?: readonly ErrorIssue[] | undefined;
    requestId?: string | undefined;
  }) {
    super(init.message);
    this.code = init.code;
    this.status = init.status;
    this.issues = init.issues ?? [];
    this.requestId = init.requestId;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** True when the request failed because there is no valid session. */
export function isUnauthenticated(error: unknown): boolean {
  return isApiError(error) && error.status === 401;
}
