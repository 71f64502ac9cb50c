import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { users, sessions } from '../../db/schema';
import { createTestApp, login, sessionCookie, testClock, type TestApp } from '../../../test/app';
import { auditOf } from '../../../test/admin-factories';
import { createUser, TEST_PASSWORD, uniqueSuffix } from '../../../test/factories';

const clock = testClock();
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({
    now: clock.now,
    env: {
      SESSION_IDLE_MINUTES: '30',
      SESSION_ABSOLUTE_HOURS: '8',
      LOGIN_MAX_FAILURES_PER_ACCOUNT: '5',
      LOGIN_SLOWDOWN_AFTER_FAILURES: '12',
      LOGIN_SLOWDOWN_MAX_SECONDS: '0.4',
    },
  });
});

function me(cookie?: string) {
  return t.app.inject({ method: 'GET', url: '/api/auth/me', headers: cookie ? { cookie } : {} });
}

function attempt(email: string, password: string, ip = '10.0.0.1') {
  return t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, remoteAddress: ip });
}

describe('login', () => {
  it('signs in with the right password and sets an HttpOnly, SameSite=Lax session cookie', async () => {
    const u = await createUser(t.database.db, { role: 'agent' });
    const res = await attempt(u.email.toUpperCase(), TEST_PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      user: { id: u.id, email: u.email, name: u.name, role: 'agent', mustChangePassword: false },
    });
    const cookie = res.cookies.find((c) => c.name === 'engage_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie!.value.length).toBeGreaterThanOrEqual(40);
    const who = await me(sessionCookie(res));
    expect(who.statusCode).toBe(200);
    expect(who.json().user.email).toBe(u.email);
  });

  it('stores only a hash of the session token', async () => {
    const u = await createUser(t.database.db);
    const cookie = await login(t.app, u.email, TEST_PASSWORD);
    const token = cookie.split('=')[1]!;
    const rows = await t.database.db.select().from(sessions).where(eq(sessions.userId, u.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).not.toContain(token);
    expect(rows[0]!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives a new session id at each login', async () => {
    const u = await createUser(t.database.db);
    const a = await login(t.app, u.email, TEST_PASSWORD);
    const b = await login(t.app, u.email, TEST_PASSWORD);
    expect(a).not.toBe(b);
    expect((await me(a)).statusCode).toBe(200);
    expect((await me(b)).statusCode).toBe(200);
  });

  it('refuses a wrong password with 401 and says so', async () => {
    const u = await createUser(t.database.db);
    const res = await attempt(u.email, 'not-the-password', '10.1.0.1');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({
      code: 'unauthenticated',
      message: 'Wrong email or password. Check both and try again.',
    });
    expect(res.json().requestId).toBeTruthy();
    expect(res.cookies.find((c) => c.name === 'engage_session')).toBeUndefined();
  });

  it('answers an unknown user exactly like a wrong password', async () => {
    const res = await attempt(`nobody-${uniqueSuffix()}@test.org`, 'whatever-password', '10.1.0.2');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({
      code: 'unauthenticated',
      message: 'Wrong email or password. Check both and try again.',
    });
  });

  it('refuses a disabled account', async () => {
    const u = await createUser(t.database.db, { disabled: true });
    const res = await attempt(u.email, TEST_PASSWORD, '10.1.0.3');
    expect(res.statusCode).toBe(401);
    expect(res.json().message).toMatch(/disabled/);
  });

  it('validates the body and names the field', async () => {
    const res = await attempt('not-an-email', '', '10.1.0.4');
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('validation_failed');
    expect(body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['body.email', 'body.password']);
  });
});

describe('login rate limit', () => {
  it('blocks an account after 5 failures with a clear 429, even with the right password, until the window passes', async () => {
    const u = await createUser(t.database.db);
    for (let i = 0; i < 5; i++) {
      // Different addresses: the per-account limit is what trips.
      expect((await attempt(u.email, 'wrong-password', `10.2.0.${i}`)).statusCode).toBe(401);
    }
    const blocked = await attempt(u.email, TEST_PASSWORD, '10.2.0.99');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().code).toBe('rate_limited');
    expect(blocked.json().message).toMatch(/Wait \d+ minutes? and try again/);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);

    clock.advance(16 * 60_000);
    expect((await attempt(u.email, TEST_PASSWORD, '10.2.0.99')).statusCode).toBe(200);
  });

  it('20 wrong passwords sent at once: at most 5 are checked, the rest and then the right one answer 429', async () => {
    const u = await createUser(t.database.db);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => attempt(u.email, `wrong-password-${i}`, `10.5.${i}.1`)),
    );
    const statuses = answers.map((a) => a.statusCode);
    // A 401 is a password that was checked (argon2); a 429 one that was refused before.
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(15);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    const after = await attempt(u.email, TEST_PASSWORD, '10.5.99.1');
    expect(after.statusCode).toBe(429);
    expect(after.json().code).toBe('rate_limited');
  });

  it('an address failing on many accounts is slowed down, never locked out: the right password still signs in', async () => {
    const ip = '10.3.0.1';
    for (let i = 0; i < 12; i++) {
      expect((await attempt(`guess-${i}-${uniqueSuffix()}@test.org`, 'password1', ip)).statusCode).toBe(401);
    }
    // Past the threshold (12 here), each attempt from the address waits, up to 0.4 s here.
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      const res = await attempt(`more-${i}-${uniqueSuffix()}@test.org`, 'password1', ip);
      expect(res.statusCode).toBe(401);
      expect(Date.now() - started).toBeGreaterThanOrEqual(i === 0 ? 250 : 400);
    }
    const u = await createUser(t.database.db);
    const started = Date.now();
    const ok = await attempt(u.email, TEST_PASSWORD, ip);
    expect(ok.statusCode).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    // Another address is not affected.
    expect((await attempt(u.email, TEST_PASSWORD, '10.3.0.2')).statusCode).toBe(200);
  });

  it('a successful login clears the account counter', async () => {
    const u = await createUser(t.database.db);
    for (let i = 0; i < 4; i++) await attempt(u.email, 'wrong-password', '10.4.0.1');
    expect((await attempt(u.email, TEST_PASSWORD, '10.4.0.1')).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) expect((await attempt(u.email, 'wrong-password', '10.4.0.1')).statusCode).toBe(401);
    expect((await attempt(u.email, TEST_PASSWORD, '10.4.0.1')).statusCode).toBe(200);
  });
});

describe('client addresses behind a proxy (TRUST_PROXY)', () => {
  /** The address the app recorded for a sign-in that came from `remoteAddress` with X-Forwarded-For. */
  async function addressSeen(app: TestApp['app'], remoteAddress: string, forwardedFor: string) {
    const u = await createUser(t.database.db);
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: u.email, password: TEST_PASSWORD },
      remoteAddress,
      headers: { 'x-forwarded-for': forwardedFor },
    });
    expect(res.statusCode).toBe(200);
    const [row] = await t.database.db.select().from(sessions).where(eq(sessions.userId, u.id));
    return row!.ip;
  }

  it('by default X-Forwarded-For is ignored: anyone could send it', async () => {
    expect(await addressSeen(t.app, '10.7.0.1', '203.0.113.5')).toBe('10.7.0.1');
  });

  it('with 1, only the address the load balancer appended counts, not what the client put before it', async () => {
    const behindOne = await createTestApp({ database: t.database, now: clock.now, env: { TRUST_PROXY: '1' } });
    expect(await addressSeen(behindOne.app, '10.7.0.1', '198.51.100.66, 203.0.113.5')).toBe('203.0.113.5');
    const behindTwo = await createTestApp({ database: t.database, now: clock.now, env: { TRUST_PROXY: '2' } });
    expect(await addressSeen(behindTwo.app, '10.7.0.1', '198.51.100.66, 203.0.113.5, 10.7.0.9')).toBe('203.0.113.5');
  });

  it('with a list, only the listed proxies are believed', async () => {
    const listed = await createTestApp({ database: t.database, now: clock.now, env: { TRUST_PROXY: '10.7.0.0/24' } });
    expect(await addressSeen(listed.app, '10.7.0.1', '198.51.100.66, 203.0.113.5')).toBe('203.0.113.5');
    expect(await addressSeen(listed.app, '10.8.0.1', '203.0.113.5')).toBe('10.8.0.1');
  });
});

describe('sessions', () => {
  it('needs a session: 401 without a cookie or with a made-up one', async () => {
    expect((await me()).statusCode).toBe(401);
    const res = await me('engage_session=made-up-token');
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('unauthenticated');
  });

  it('logout ends the session: the same cookie no longer works', async () => {
    const u = await createUser(t.database.db);
    const cookie = await login(t.app, u.email, TEST_PASSWORD);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    expect(out.statusCode).toBe(204);
    const cleared = out.cookies.find((c) => c.name === 'engage_session');
    expect(cleared?.value).toBe('');
    expect((await me(cookie)).statusCode).toBe(401);
  });

  it('expires after the idle time-out, and says so', async () => {
    const u = await createUser(t.database.db);
    const cookie = await login(t.app, u.email, TEST_PASSWORD);
    clock.advance(20 * 60_000);
    expect((await me(cookie)).statusCode).toBe(200); // activity moves the idle deadline
    clock.advance(20 * 60_000);
    expect((await me(cookie)).statusCode).toBe(200);
    clock.advance(31 * 60_000);
    const res = await me(cookie);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'session_expired', message: 'Your session has expired. Sign in again.' });
    expect((await me(cookie)).json().code).toBe('unauthenticated'); // and it is gone for good
  });

  it('expires after the absolute time-out however active', async () => {
    const u = await createUser(t.database.db);
    const cookie = await login(t.app, u.email, TEST_PASSWORD);
    for (let i = 0; i < 16; i++) {
      clock.advance(29 * 60_000);
      expect((await me(cookie)).statusCode).toBe(200);
    }
    clock.advance(29 * 60_000); // 8h12m after login
    expect((await me(cookie)).json().code).toBe('session_expired');
  });

  /** Asks until the answer has the status, for at most a second (notifications are asynchronous). */
  async function statusWithin(send: () => Promise<{ statusCode: number }>, status: number) {
    const until = Date.now() + 1000;
    let last = await send();
    while (last.statusCode !== status && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 20));
      last = await send();
    }
    return last.statusCode;
  }

  it('a session checked a moment ago still ends when its account is disabled behind the app', async () => {
    const u = await createUser(t.database.db);
    const cookie = await login(t.app, u.email, TEST_PASSWORD);
    expect((await me(cookie)).statusCode).toBe(200); // now held in this instance's memory
    await t.database.db.update(users).set({ disabledAt: clock.now() }).where(eq(users.id, u.id));
    await t.database.db.delete(sessions).where(eq(sessions.userId, u.id));
    expect(await statusWithin(() => me(cookie), 401)).toBe(401);
  });

  it('another instance forgets a logged-out session and sees a new role within a second', async () => {
    const other = await createTestApp({ database: t.database, now: clock.now });
    const meOn = (app: TestApp['app'], cookie: string) =>
      app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    const u = await createUser(t.database.db, { role: 'agent' });
    const cookie = await login(t.app, u.email, TEST_PASSWORD);
    expect((await meOn(other.app, cookie)).json()).toMatchObject({ user: { role: 'agent' } }); // cached on the other one
    await t.database.db.update(users).set({ role: 'manager' }).where(eq(users.id, u.id));
    const until = Date.now() + 1000;
    let role = '';
    while (role !== 'manager' && Date.now() < until) {
      // a pause lets this process read the notification (injected requests never wait on I/O)
      await new Promise((r) => setTimeout(r, 20));
      role = (await meOn(other.app, cookie)).json<{ user: { role: string } }>().user.role;
    }
    expect(role).toBe('manager');

    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    expect(out.statusCode).toBe(204);
    expect(await statusWithin(() => meOn(other.app, cookie), 401)).toBe(401);
  });

  it('disabling an account ends its sessions at once', async () => {
    const u = await createUser(t.database.db);
    const cookie = await login(t.app, u.email, TEST_PASSWORD);
    await t.database.db.update(users).set({ disabledAt: clock.now() }).where(eq(users.id, u.id));
    expect((await me(cookie)).statusCode).toBe(401);
  });
});

describe('changing your own password', () => {
  function change(cookie: string, currentPassword: string, newPassword: string) {
    return t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie },
      payload: { currentPassword, newPassword },
    });
  }

  it('needs the current password; ends the other sessions and keeps this one; the new password signs in; audited', async () => {
    const u = await createUser(t.database.db);
    const here = await login(t.app, u.email, TEST_PASSWORD);
    const elsewhere = await login(t.app, u.email, TEST_PASSWORD);

    const wrong = await change(here, 'not-my-password', 'a-brand-new-secret');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({
      code: 'validation_failed',
      message: 'Your current password is not right. Type it again.',
      issues: [{ path: 'body.currentPassword', message: 'Not your current password' }],
    });
    expect((await me(elsewhere)).statusCode).toBe(200); // nothing changed

    const ok = await change(here, TEST_PASSWORD, 'a-brand-new-secret');
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user).toMatchObject({ id: u.id, email: u.email, mustChangePassword: false });
    expect((await me(here)).statusCode).toBe(200);
    expect((await me(elsewhere)).statusCode).toBe(401);
    expect((await attempt(u.email, TEST_PASSWORD, '10.9.0.1')).statusCode).toBe(401);
    expect((await attempt(u.email, 'a-brand-new-secret', '10.9.0.1')).statusCode).toBe(200);

    const trail = await auditOf(t.database.db, 'user', u.id);
    expect(trail).toEqual([
      expect.objectContaining({ actor_id: u.id, action: 'change_password', after: { sessionsEnded: 1 } }),
    ]);
    expect(JSON.stringify(trail)).not.toMatch(/a-brand-new-secret|argon2/);
  });

  it('refuses a common password, a short one and the current one again, naming the field; the old one still works', async () => {
    const u = await createUser(t.database.db);
    const cookie = await login(t.app, u.email, TEST_PASSWORD);
    const common = await change(cookie, TEST_PASSWORD, 'password12');
    expect(common.statusCode).toBe(400);
    expect(common.json().message).toMatch(/one of the most commonly used[\s\S]*Choose another/);
    expect(common.json().issues).toEqual([{ path: 'body.newPassword', message: 'Too common: choose another' }]);
    const short = await change(cookie, TEST_PASSWORD, 'tiny');
    expect(short.statusCode).toBe(400);
    expect(short.json().issues).toEqual([expect.objectContaining({ path: 'body.newPassword' })]);
    const same = await change(cookie, TEST_PASSWORD, TEST_PASSWORD);
    expect(same.statusCode).toBe(400);
    expect(same.json().issues).toEqual([{ path: 'body.newPassword', message: 'Same as your current password' }]);
    expect((await me(cookie)).statusCode).toBe(200);
    expect((await attempt(u.email, TEST_PASSWORD, '10.9.0.2')).statusCode).toBe(200);
  });

  it('wrong current passwords count toward the account limit: a stolen session cannot guess it', async () => {
    const u = await createUser(t.database.db);
    const cookie = await login(t.app, u.email, TEST_PASSWORD);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => change(cookie, `guess-number-${i}`, 'a-brand-new-secret')),
    );
    expect(answers.filter((a) => a.statusCode === 400).length).toBeLessThanOrEqual(5);
    expect((await change(cookie, TEST_PASSWORD, 'a-brand-new-secret')).statusCode).toBe(429);
  });
});

describe('who am I (getSession)', () => {
  const session = (cookie?: string) =>
    t.app.inject({ method: 'GET', url: '/api/auth/session', headers: cookie ? { cookie } : {} });

  it('answers 200 with no user when signed out, with a made-up cookie or after logout; the user when signed in', async () => {
    const none = await session();
    expect(none.statusCode).toBe(200);
    expect(none.json()).toEqual({ user: null });

    const madeUp = await session('engage_session=made-up-token');
    expect(madeUp.statusCode).toBe(200);
    expect(madeUp.json()).toEqual({ user: null });
    expect(madeUp.cookies.find((c) => c.name === 'engage_session')?.value).toBe('');

    const u = await createUser(t.database.db, { role: 'manager' });
    const cookie = await login(t.app, u.email, TEST_PASSWORD);
    const signedIn = await session(cookie);
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json()).toEqual({
      user: { id: u.id, email: u.email, name: u.name, role: 'manager', mustChangePassword: false },
    });

    await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    expect((await session(cookie)).json()).toEqual({ user: null });
    // getMe stays honest: it needs a session.
    expect((await me(cookie)).statusCode).toBe(401);
  });

  it('an expired session answers no user', async () => {
    const u = await createUser(t.database.db);
    const cookie = await login(t.app, u.email, TEST_PASSWORD);
    clock.advance(31 * 60_000);
    const res = await session(cookie);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ user: null });
  });
});

describe('cross-site requests', () => {
  it('refuses an unsafe request from another origin', async () => {
    const u = await createUser(t.database.db);
    const cookie = await login(t.app, u.email, TEST_PASSWORD);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie, origin: 'https://evil.example', host: 'localhost:3000' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('cross_site_request');
    expect((await me(cookie)).statusCode).toBe(200); // the session survived
  });

  it('refuses a cross-site login (Sec-Fetch-Site) and accepts a same-origin one', async () => {
    const u = await createUser(t.database.db);
    const cross = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: u.email, password: TEST_PASSWORD },
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(cross.statusCode).toBe(403);
    const same = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: u.email, password: TEST_PASSWORD },
      headers: { 'sec-fetch-site': 'same-origin', origin: 'http://localhost:3000', host: 'localhost:3000' },
    });
    expect(same.statusCode).toBe(200);
  });

  it('refuses a form post (not JSON)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: 'email=a@b.org&password=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().code).toBe('unsupported_media_type');
  });
});

describe('roles', () => {
  it('an agent calling a manager-only route gets 403; a manager and an admin get 200', async () => {
    const agent = await createUser(t.database.db, { role: 'agent' });
    const manager = await createUser(t.database.db, { role: 'manager' });
    const admin = await createUser(t.database.db, { role: 'admin' });
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/users',
      headers: { cookie: await login(t.app, agent.email, TEST_PASSWORD) },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'forbidden' });
    expect(res.json().message).toMatch(/agent/);
    for (const u of [manager, admin]) {
      const ok = await t.app.inject({
        method: 'GET',
        url: '/api/users',
        headers: { cookie: await login(t.app, u.email, TEST_PASSWORD) },
      });
      expect(ok.statusCode).toBe(200);
      expect(ok.json().users.some((x: { email: string }) => x.email === agent.email)).toBe(true);
      expect(JSON.stringify(ok.json())).not.toMatch(/passwordHash|argon2/);
    }
  });
});
