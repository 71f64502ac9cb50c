import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db, DbOrTx } from '../../db/client';
import type { Config } from '../../env';
import { audit } from '../../lib/audit';
import { AppError } from '../../lib/errors';
import type { AuthUser, SessionLookup } from '../../lib/guard';
import { checkNewPassword, dummyPasswordHash, hashPassword, verifyPassword } from '../../lib/password';
import * as repo from './auth.repository';
import { withTransaction } from '../../lib/tx';

/** A session is touched (last-seen written) at most this often, to keep reads cheap. */
const TOUCH_EVERY_MS = 60_000;
/** How long a checked session is trusted from memory, and how many are kept. */
const CACHE_MS = 30_000;
const CACHE_MAX = 20_000;

interface CachedSession {
  user: AuthUser;
  expiresAt: number;
  lastSeenAt: number;
  checkedAt: number;
}

/** What tells the cache that sessions or users changed anywhere (lib/realtime.ts's hub). */
export interface SessionChanges {
  onSessionsChanged(listener: (changed: number[] | 'all') => void): () => void;
  listening(): boolean;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The key that counts password attempts on an account in `login_attempts`. */
function accountKey(email: string): string {
  return `email:${email.toLowerCase()}`;
}

/** Forgets an account's failed attempts (an administrator set a new password: it may sign in at once). */
export async function clearSignInAttempts(db: DbOrTx, email: string): Promise<void> {
  await repo.clearFailures(db, accountKey(email));
}

export type AuthService = ReturnType<typeof createAuthService>;

export function createAuthService(deps: {
  db: Db;
  config: Pick<
    Config,
    | 'SESSION_IDLE_MINUTES'
    | 'SESSION_ABSOLUTE_HOURS'
    | 'LOGIN_WINDOW_MINUTES'
    | 'LOGIN_MAX_FAILURES_PER_ACCOUNT'
    | 'LOGIN_SLOWDOWN_AFTER_FAILURES'
    | 'LOGIN_SLOWDOWN_MAX_SECONDS'
  >;
  now?: () => Date;
}) {
  const { db, config } = deps;
  const now = deps.now ?? (() => new Date());
  const idleMs = config.SESSION_IDLE_MINUTES * 60_000;
  const absoluteMs = config.SESSION_ABSOLUTE_HOURS * 3_600_000;
  const windowMs = config.LOGIN_WINDOW_MINUTES * 60_000;

  /**
   * Every request checks its session; at load that was one query per request. Checked sessions
   * are kept in memory for CACHE_MS, and only while this instance hears PostgreSQL's
   * notifications of ended sessions and changed users (migration 0007), so a logout, a disabled
   * account or a new role takes effect on every instance at once. `generation` keeps a lookup that
   * raced with such a change out of the cache.
   */
  const cache = new Map<string, CachedSession>();
  let generation = 0;
  let changes: SessionChanges | null = null;
  const cacheOn = () => changes?.listening() ?? false;

  function forgetUsers(changed: number[] | 'all'): void {
    generation++;
    if (changed === 'all') {
      cache.clear();
      return;
    }
    const ids = new Set(changed);
    for (const [key, entry] of cache) if (ids.has(entry.user.id)) cache.delete(key);
  }

  function listenForChanges(source: SessionChanges): void {
    changes = source;
    source.onSessionsChanged(forgetUsers);
  }

  /**
   * Counts a password attempt on the account before the password is checked, and refuses it over
   * the limit: the count and the check are one statement, so parallel guesses cannot all pass.
   * A correct password clears the count (`clearFailures`); a wrong one leaves it counted.
   */
  async function reserveAccountAttempt(email: string, t: Date): Promise<string> {
    const key = accountKey(email);
    const counted = await repo.countAttempt(db, key, t, new Date(t.getTime() - windowMs));
    if (counted.failures > config.LOGIN_MAX_FAILURES_PER_ACCOUNT) {
      const retryAfterS = Math.max(1, Math.ceil((counted.windowStart.getTime() + windowMs - t.getTime()) / 1000));
      const minutes = Math.ceil(retryAfterS / 60);
      throw new AppError(
        'rate_limited',
        `Too many failed sign-in attempts for this account. Wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again, or ask an administrator to reset your password.`,
        { headers: { 'retry-after': String(retryAfterS) } },
      );
    }
    return key;
  }

  /**
   * How long a sign-in from an address waits before its password is checked: nothing until the
   * address has failed LOGIN_SLOWDOWN_AFTER_FAILURES times in the window, then a
   * quarter of a second, doubling with each further failure, up to LOGIN_SLOWDOWN_MAX_SECONDS.
   * Never a refusal: a whole call center may sign in from one address.
   */
  function slowdownMs(addressFailures: number): number {
    const beyond = addressFailures - config.LOGIN_SLOWDOWN_AFTER_FAILURES;
    if (beyond < 0) return 0;
    return Math.min(config.LOGIN_SLOWDOWN_MAX_SECONDS * 1000, 250 * 2 ** Math.min(beyond, 20));
  }

  async function login(input: { email: string; password: string; ip: string; userAgent: string | null }) {
    const t = now();
    const windowStartAfter = new Date(t.getTime() - windowMs);
    const addressKey = `ip:${input.ip}`;

    const accountKey = await reserveAccountAttempt(input.email, t);
    const wait = slowdownMs(await repo.recentFailures(db, addressKey, windowStartAfter));
    if (wait > 0) await sleep(wait);

    const user = await repo.findUserByEmail(db, input.email);
    // Verify against a dummy hash when the user is unknown, so timing does not reveal accounts.
    const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
    if (!user || !ok) {
      await repo.countAttempt(db, addressKey, t, windowStartAfter);
      throw new AppError('unauthenticated', 'Wrong email or password. Check both and try again.');
    }
    if (user.disabledAt) {
      throw new AppError('unauthenticated', 'This account is disabled. Ask an administrator to enable it.');
    }

    const token = randomBytes(32).toString('base64url');
    const tokenHash = hashToken(token);
    await withTransaction(db, async (tx) => {
      await repo.clearFailures(tx, accountKey);
      await repo.insertSession(tx, {
        tokenHash,
        userId: user.id,
        now: t,
        expiresAt: new Date(t.getTime() + absoluteMs),
        ip: input.ip,
        userAgent: input.userAgent,
      });
    });
    const authUser: AuthUser = {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      mustChangePassword: user.mustChangePassword,
    };
    return { token, user: authUser, maxAgeSeconds: Math.floor(absoluteMs / 1000) };
  }

  function resolveSession(token: string): Promise<SessionLookup> {
    return resolveSessionByHash(hashToken(token));
  }

  async function resolveSessionByHash(tokenHash: string): Promise<SessionLookup> {
    const t = now().getTime();
    const hit = cacheOn() ? cache.get(tokenHash) : undefined;
    if (hit && t - hit.checkedAt < CACHE_MS && hit.expiresAt > t && hit.lastSeenAt + idleMs > t) {
      if (t - hit.lastSeenAt >= TOUCH_EVERY_MS) {
        await repo.touchSession(db, tokenHash, new Date(t));
        hit.lastSeenAt = t;
      }
      return { status: 'valid', tokenHash, user: hit.user };
    }
    cache.delete(tokenHash);

    const seen = generation;
    const row = await repo.findSessionWithUser(db, tokenHash);
    if (!row) return { status: 'none' };
    if (row.user.disabledAt) {
      await repo.deleteSession(db, tokenHash);
      return { status: 'none' };
    }
    if (row.expiresAt.getTime() <= t || row.lastSeenAt.getTime() + idleMs <= t) {
      await repo.deleteSession(db, tokenHash);
      return { status: 'expired' };
    }
    let lastSeenAt = row.lastSeenAt.getTime();
    if (t - lastSeenAt >= TOUCH_EVERY_MS) {
      await repo.touchSession(db, tokenHash, new Date(t));
      lastSeenAt = t;
    }
    const { id, email, name, role, mustChangePassword } = row.user;
    const user: AuthUser = { id, email, name, role, mustChangePassword };
    if (cacheOn() && seen === generation) {
      if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
      cache.set(tokenHash, { user, expiresAt: row.expiresAt.getTime(), lastSeenAt, checkedAt: t });
    }
    return { status: 'valid', tokenHash, user };
  }

  /**
   * The user changes their own password: the current one must be right (a wrong one counts as a
   * failed sign-in on the account), the new one must follow the rule of every new password and
   * differ from the current one. Their other sessions end; this one goes on.
   */
  async function changePassword(input: {
    userId: number;
    tokenHash: string;
    currentPassword: string;
    newPassword: string;
  }): Promise<AuthUser> {
    checkNewPassword(input.newPassword, 'body.newPassword');
    const user = await repo.findUserById(db, input.userId);
    if (!user) throw new AppError('unauthenticated', 'Sign in to continue.');
    const t = now();
    const key = await reserveAccountAttempt(user.email, t);
    if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
      throw new AppError('validation_failed', 'Your current password is not right. Type it again.', {
        issues: [{ path: 'body.currentPassword', message: 'Not your current password' }],
      });
    }
    if (input.newPassword === input.currentPassword) {
      throw new AppError('validation_failed', 'The new password is the one you have now. Choose a different one.', {
        issues: [{ path: 'body.newPassword', message: 'Same as your current password' }],
      });
    }
    const passwordHash = await hashPassword(input.newPassword);
    await withTransaction(db, async (tx) => {
      await repo.clearFailures(tx, key);
      await repo.setOwnPassword(tx, user.id, passwordHash, t);
      const ended = await repo.deleteOtherSessions(tx, user.id, input.tokenHash);
      await audit(tx, {
        actorId: user.id,
        entityType: 'user',
        entityId: user.id,
        action: 'change_password',
        after: { sessionsEnded: ended },
        at: t,
      });
    });
    forgetUsers([user.id]);
    return { id: user.id, email: user.email, name: user.name, role: user.role, mustChangePassword: false };
  }

  async function logout(tokenHash: string): Promise<void> {
    await repo.deleteSession(db, tokenHash);
    cache.delete(tokenHash);
  }

  /** Ends every session of a user at once (used when an account is disabled or its password reset). */
  async function endSessionsOf(userId: number): Promise<void> {
    await repo.deleteSessionsOfUser(db, userId);
    forgetUsers([userId]);
  }

  async function purgeExpired(): Promise<number> {
    const t = now();
    return repo.deleteExpiredSessions(db, t, new Date(t.getTime() - idleMs));
  }

  return {
    login,
    changePassword,
    resolveSession,
    resolveSessionByHash,
    logout,
    endSessionsOf,
    purgeExpired,
    forgetUsers,
    listenForChanges,
  };
}
