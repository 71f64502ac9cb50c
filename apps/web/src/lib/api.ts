import { apiOperations, errorResponseSchema, operationPath, operationQuery } from '@engage/contracts';
import type { ErrorCode, HttpMethod, Operation, OperationId, OperationInput, OperationOutput } from '@engage/contracts';
import { ApiError } from './api-error';

export type { HttpMethod };

/** Anything with a zod-like `parse`; keeps this module free of a direct zod dependency. */
export interface ResponseSchema<T> {
  parse(data: unknown): T;
}

export interface ApiOptions {
  signal?: AbortSignal | undefined;
  /** Extra request headers, e.g. `Idempotency-Key`. */
  headers?: Record<string, string> | undefined;
  /** The request outlives the page (a report sent as the tab closes). */
  keepalive?: boolean | undefined;
}

const NETWORK_ERROR_MESSAGE = 'Cannot reach the server. Check your connection and try again.';
const INVALID_RESPONSE_MESSAGE =
  'The server sent an answer this page does not understand. Reload the page and try again.';

/**
 * The one way the web app talks to the API: same-origin, JSON in and out.
 * Unsafe methods always send a JSON body (`{}` when there is none), as the server requires.
 * Non-2xx answers throw an `ApiError`; with a schema, a 2xx body is parsed with it.
 */
export function api<T>(
  method: HttpMethod,
  path: string,
  body: unknown,
  schema: ResponseSchema<T>,
  options?: ApiOptions,
): Promise<T>;
export function api(
  method: HttpMethod,
  path: string,
  body?: unknown,
  schema?: undefined,
  options?: ApiOptions,
): Promise<unknown>;
export async function api<T>(
  method: HttpMethod,
  path: string,
  body?: unknown,
  schema?: ResponseSchema<T>,
  options?: ApiOptions,
): Promise<unknown> {
  const hasBody = method !== 'GET';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        ...options?.headers,
        Accept: 'application/json',
        ...(hasBody ? { 'Content-Type': 'application/json' } : {}),
      },
      body: hasBody ? JSON.stringify(body ?? {}) : undefined,
      signal: options?.signal,
      keepalive: options?.keepalive,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError({ code: 'network_error', message: NETWORK_ERROR_MESSAGE, status: 0 });
  }

  const requestId = response.headers.get('x-request-id') ?? undefined;
  const data = await readJson(response);

  if (!response.ok) throw toApiError(response.status, data, requestId);
  if (schema === undefined || response.status === 204) return data;
  try {
    return schema.parse(data);
  } catch (error) {
    console.error(`Unexpected response from ${method} ${path}`, error);
    throw new ApiError({
      code: 'invalid_response',
      message: INVALID_RESPONSE_MESSAGE,
      status: response.status,
      requestId,
    });
  }
}

/**
 * Calls an operation of the contracts' table (`apiOperations`) by its operationId: the path comes
 * from its template and `params`, the body is typed by its schema, and the answer is parsed with
 * its response schema. Prefer this to `api` with a hand-typed path.
 */
export async function apiCall<Id extends OperationId>(
  id: Id,
  input: OperationInput<Id>,
  options?: ApiOptions,
): Promise<OperationOutput<Id>> {
  const operation: Operation = apiOperations[id];
  const { params, query, body } = input as {
    params?: Parameters<typeof operationPath>[1];
    query?: Parameters<typeof operationQuery>[0];
    body?: unknown;
  };
  const url = operationPath(operation.path, params) + operationQuery(query);
  const result = operation.response
    ? await api(operation.method, url, body, operation.response, options)
    : await api(operation.method, url, body, undefined, options);
  return result as OperationOutput<Id>;
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function toApiError(status: number, data: unknown, requestId: string | undefined): ApiError {
  const parsed = errorResponseSchema.safeParse(data);
  if (parsed.success) {
    return new ApiError({ ...parsed.data, status });
  }
  // No error body we recognise (e.g. a proxy page): describe the status instead.
  const fallback = fallbackForStatus(status);
  return new ApiError({ ...fallback, status, requestId });
}

function fallbackForStatus(status: number): { code: ErrorCode; message: string } {
  if (status === 401) {
    return { code: 'unauthenticated', message: 'Your session has ended. Sign in again.' };
  }
  if (status === 403) {
    return { code: 'forbidden', message: 'You do not have permission to do this.' };
  }
  if (status === 404) {
    return { code: 'not_found', message: 'That could not be found. It may have been removed.' };
  }
  if (status === 429) {
    return { code: 'rate_limited', message: 'Too many attempts. Wait a minute and try again.' };
  }
  if (status >= 502 && status <= 504) {
    return {
      code: 'service_unavailable',
      message: 'The server is not available right now. Try again in a moment.',
    };
  }
  if (status >= 500) {
    return {
      code: 'internal_error',
      message: 'Something went wrong on the server. Try again; if it keeps happening, tell your administrator.',
    };
  }
  return { code: 'bad_request', message: `The request was refused (HTTP ${status}). Reload the page and try again.` };
}
