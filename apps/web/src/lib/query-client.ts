import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import type { Query } from '@tanstack/react-query';
import { isApiError, isUnauthenticated } from './api-error';
import { notifyError } from './notify';
import { meQueryKey } from './session';

declare module '@tanstack/react-query' {
  interface Register {
    mutationMeta: {
      /** Set when the component shows this mutation's errors itself (e.g. inline in a form). */
      handlesErrors?: boolean;
    };
  }
}

function isMeQuery(query: Query<unknown, unknown, unknown>): boolean {
  return query.queryKey.length === 1 && query.queryKey[0] === meQueryKey[0];
}

/**
 * Marks the session as gone. The session guard sees `null` and sends the user to /login,
 * keeping the page they were on in `?next=` so they come back to it after signing in.
 */
function endSession(): void {
  queryClient.setQueryData(meQueryKey, null);
}

/**
 * The server refuses everything but changing the password until the user chose their own: read
 * the session again, and the session guard shows the change-password form.
 */
function recheckSession(error: unknown): void {
  if (isApiError(error) && error.code === 'password_change_required') {
    void queryClient.invalidateQueries({ queryKey: meQueryKey });
  }
}

function shouldRetry(failureCount: number, error: unknown): boolean {
  if (failureCount >= 2) return false;
  if (!isApiError(error)) return true;
  return error.code === 'network_error' || error.status >= 500;
}

export const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({
    onError: (error, query) => {
      if (isUnauthenticated(error) && !isMeQuery(query)) endSession();
      recheckSession(error);
    },
  }),
  mutationCache: new MutationCache({
    onError: (error, _variables, _onMutateResult, mutation) => {
      recheckSession(error);
      if (mutation.meta?.handlesErrors === true) return;
      if (isUnauthenticated(error)) endSession();
      notifyError(error);
    },
  }),
  defaultOptions: {
    queries: { staleTime: 30_000, retry: shouldRetry },
    mutations: { retry: false },
  },
});
