import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Role, SessionUser } from '@engage/contracts';
import type { Config } from '../env';
import { AppError } from './errors';

/**
 * Who may call a route. Every /api route declares one in `config.access`; registering a route
 * without it fails at start-up. Roles are ranked: an admin can do what a manager can, and a
 * manager what an agent can.
 */
export type Access = 'public' | Role;

/** The signed-in user a request carries (features/auth finds it from the session cookie). */
export interface AuthUser extends SessionUser {
  role: Role;
}

export type SessionLookup =
  { status: 'valid'; user: AuthUser; tokenHash: string } | { status: 'expired' } | { status: 'none' };

/** What the guard asks of the sessions (features/auth's service answers it). */
export interface SessionResolver {
  resolveSession(token: string): Promise<SessionLookup>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /**
     * The route also serves a user who must first choose their own password (an administrator
     * set it): who am I, sign out, change password. Every other route refuses them.
     */
    beforePasswordChange?: boolean;
  }
  interface FastifyInstance {
    /** Every route registered after the guard, with its access rule (read by tests). */
    routeAccess: { method: string; url: string; access: Access | undefined }[];
  }
  interface FastifyRequest {
    user: AuthUser | null;
    sessionTokenHash: string | null;
  }
}

/**
 * The session cookie's name. Over HTTPS (COOKIE_SECURE=1) it carries the `__Host-` prefix:
 * browsers then keep it only when it is Secure, set by this very host (no Domain) for path `/`,
 * so another site on a sibling subdomain cannot plant or replace it. Browsers refuse `__Host-`
 * cookies that are not Secure, so over plain http (localhost, the demo) it keeps its plain name.
 */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-engage_session' : 'engage_session';
}

const rank: Record<Role, number> = { agent: 1, manager: 2, admin: 3 };
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function hasRole(user: Pick<AuthUser, 'role'>, needed: Role): boolean {
  return rank[user.role] >= rank[needed];
}

/** The signed-in user of a guarded route (the guard has already refused anonymous callers). */
export function currentUser(req: FastifyRequest): AuthUser {
  if (!req.user) throw new AppError('unauthenticated', 'Sign in to continue.');
  return req.user;
}

export function assertRouteDeclaresAccess(route: RouteOptions): void {
  if (!route.url.startsWith('/api/') || route.method === 'HEAD') return;
  const access = route.config?.access;
  if (!access) {
    throw new Error(
      `Route ${String(route.method)} ${route.url} declares no access rule: add config.access ('public', 'agent', 'manager' or 'admin').`,
    );
  }
}

/**
 * Refuses cross-site unsafe requests. Browsers send Sec-Fetch-Site and Origin; requests without
 * either (server-to-server integrations, curl) are not cross-site forgeries and pass.
 */
function checkSameSite(req: FastifyRequest, allowedOrigins: readonly string[]): void {
  if (!UNSAFE.has(req.method)) return;
  const site = req.headers['sec-fetch-site'];
  const origin = req.headers.origin;
  if (origin && allowedOrigins.includes(origin)) return;
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') {
    throw new AppError(
      'cross_site_request',
      'This request came from another site and was refused. Use Engage from its own address.',
    );
  }
  if (origin) {
    let host: string | null;
    try {
      host = new URL(origin).host;
    } catch {
      host = null;
    }
    if (host === null || host !== req.headers.host) {
      throw new AppError(
        'cross_site_request',
        'This request came from another site and was refused. Use Engage from its own address.',
      );
    }
  }
}

export function registerGuard(
  app: FastifyInstance,
  deps: { auth: SessionResolver; config: Pick<Config, 'ALLOWED_ORIGINS' | 'COOKIE_SECURE'> },
): void {
  app.decorateRequest('user', null);
  app.decorateRequest('sessionTokenHash', null);
  const table: FastifyInstance['routeAccess'] = [];
  app.decorate('routeAccess', table);
  app.addHook('onRoute', (route) => {
    assertRouteDeclaresAccess(route);
    for (const method of [route.method].flat()) {
      table.push({ method, url: route.url, access: route.config?.access });
    }
  });

  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const access = req.routeOptions.config.access;
    if (!access) return; // unknown routes and static files: handled by the not-found handler
    checkSameSite(req, deps.config.ALLOWED_ORIGINS);
    if (access === 'public') return;

    const token = req.cookies[sessionCookieName(deps.config.COOKIE_SECURE)];
    if (!token) throw new AppError('unauthenticated', 'Sign in to continue.');
    const found = await deps.auth.resolveSession(token);
    switch (found.status) {
      case 'none':
        clearSessionCookie(reply, deps.config.COOKIE_SECURE);
        throw new AppError('unauthenticated', 'Sign in to continue.');
      case 'expired':
        clearSessionCookie(reply, deps.config.COOKIE_SECURE);
        throw new AppError('session_expired', 'Your session has expired. Sign in again.');
      case 'valid':
        break;
    }
    if (!hasRole(found.user, access)) {
      throw new AppError(
        'forbidden',
        `Your role (${found.user.role}) cannot do this: it needs ${access === 'admin' ? 'an administrator' : `a ${access}`}. Ask your ${access === 'admin' ? 'administrator' : 'manager'} if you need it.`,
      );
    }
    if (found.user.mustChangePassword && req.routeOptions.config.beforePasswordChange !== true) {
      throw new AppError(
        'password_change_required',
        'An administrator set your password: choose your own password before you go on.',
      );
    }
    req.user = found.user;
    req.sessionTokenHash = found.tokenHash;
  });
}

export function setSessionCookie(reply: FastifyReply, token: string, maxAgeSeconds: number, secure: boolean): void {
  void reply.setCookie(sessionCookieName(secure), token, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    maxAge: maxAgeSeconds,
  });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  void reply.clearCookie(sessionCookieName(secure), { httpOnly: true, sameSite: 'lax', secure, path: '/' });
}
