import { queryOptions, useQuery } from '@tanstack/react-query';
import { meQueryKey } from '../../../lib/session';
import { getMe } from '../api/auth-api';

export const meQueryOptions = queryOptions({
  queryKey: meQueryKey,
  queryFn: ({ signal }) => getMe(signal),
  staleTime: 60_000,
});

/** The session: a user, `null` when signed out, `undefined` while loading. */
export function useMe() {
  return useQuery(meQueryOptions);
}
