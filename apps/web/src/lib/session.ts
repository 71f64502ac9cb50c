import type { SessionUser } from '@engage/contracts';
import { createContext, useContext } from 'react';

/** Query key of the signed-in user (`GET /api/auth/session`); `null` data means "no session". */
export const meQueryKey = ['me'] as const;

/** Filled by the session guard; every page inside the app shell can read the user from it. */
export const CurrentUserContext = createContext<SessionUser | null>(null);

export function useCurrentUser(): SessionUser {
  const user = useContext(CurrentUserContext);
  if (user === null) throw new Error('useCurrentUser must be used inside the session guard');
  return user;
}
