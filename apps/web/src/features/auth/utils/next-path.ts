import type { Location } from 'react-router';

export const DEFAULT_PATH = '/call-center';

/** `/login`, remembering where the user was going so they return there after signing in. */
export function loginPathFor(location: Pick<Location, 'pathname' | 'search' | 'hash'>): string {
  const target = `${location.pathname}${location.search}${location.hash}`;
  if (target === '/' || target === DEFAULT_PATH) return '/login';
  return `/login?next=${encodeURIComponent(target)}`;
}

/** The `next` search param, if it is a path on this site; otherwise the Call Center. */
export function safeNextPath(next: string | null): string {
  if (next === null || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) {
    return DEFAULT_PATH;
  }
  if (next === '/login' || next.startsWith('/login?')) return DEFAULT_PATH;
  return next;
}
