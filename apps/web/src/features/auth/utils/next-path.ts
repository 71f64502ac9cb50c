import type { Role } from '@engage/contracts';
import type { Location } from 'react-router';

/** Where a user lands after signing in (and at `/`): managers and admins on the live floor, agents in the Call Center. */
export function landingPathFor(role: Role): string {
  switch (role) {
    case 'admin':
    case 'manager':
      return '/manager/floor';
    case 'agent':
      return '/call-center';
  }
}

/** `/login`, remembering where the user was going so they return there after signing in. */
export function loginPathFor(location: Pick<Location, 'pathname' | 'search' | 'hash'>): string {
  const target = `${location.pathname}${location.search}${location.hash}`;
  if (target === '/') return '/login';
  return `/login?next=${encodeURIComponent(target)}`;
}

/** The `next` search param, if it is a path on this site; otherwise null (the user's landing page). */
export function safeNextPath(next: string | null): string | null {
  if (next === null || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
  if (next === '/login' || next.startsWith('/login?')) return null;
  return next;
}
