import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app';
import { createUser, TEST_PASSWORD } from '../../test/factories';
import { CSP_NONCE_PLACEHOLDER } from './security-headers';

/** A stand-in for the built web app: its index.html carries the nonce placeholder as Vite writes it. */
function fakeWebDist(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engage-web-'));
  fs.writeFileSync(
    path.join(dir, 'index.html'),
    `<!doctype html><html><head><meta property="csp-nonce" nonce="${CSP_NONCE_PLACEHOLDER}">` +
      `<script type="module" src="/assets/app.js" nonce="${CSP_NONCE_PLACEHOLDER}"></script></head><body></body></html>`,
  );
  return dir;
}

function directivesOf(header: unknown): Map<string, string[]> {
  return new Map(
    String(header)
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

let http: TestApp;
let https: TestApp;

beforeAll(async () => {
  http = await createTestApp({ env: { WEB_DIST_DIR: fakeWebDist() } });
  https = await createTestApp({ database: http.database, env: { COOKIE_SECURE: '1', WEB_DIST_DIR: fakeWebDist() } });
});

describe('browser security headers', () => {
  it('every answer carries a strict policy: own origin only, no inline script, no framing, no sniffing', async () => {
    for (const url of ['/api/health', '/api/auth/me', '/login']) {
      const res = await http.app.inject({ method: 'GET', url });
      const csp = directivesOf(res.headers['content-security-policy']);
      expect(csp.get('default-src'), url).toEqual(["'self'"]);
      expect(csp.get('script-src'), url).toEqual(["'self'"]);
      expect(csp.get('object-src'), url).toEqual(["'none'"]);
      expect(csp.get('frame-ancestors'), url).toEqual(["'none'"]);
      expect(csp.get('base-uri'), url).toEqual(["'self'"]);
      expect(String(res.headers['content-security-policy'])).not.toContain('unsafe-inline');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['referrer-policy'], url).toBe('same-origin');
      // Plain http (localhost, the demo): no HSTS, no upgrading of requests.
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
      expect(csp.has('upgrade-insecure-requests'), url).toBe(false);
    }
  });

  it('the web page gets a fresh style nonce in its tags and in its policy each time', async () => {
    const nonces = [];
    for (let i = 0; i < 2; i++) {
      const res = await http.app.inject({ method: 'GET', url: '/call-center' });
      expect(res.statusCode).toBe(200);
      const nonce = /<meta property="csp-nonce" nonce="([^"]+)">/.exec(res.body)?.[1];
      expect(nonce).toBeTruthy();
      expect(res.body).not.toContain(CSP_NONCE_PLACEHOLDER);
      expect(directivesOf(res.headers['content-security-policy']).get('style-src')).toEqual([
        "'self'",
        `'nonce-${nonce}'`,
      ]);
      nonces.push(nonce);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
    // The file itself is never served without its nonce.
    const direct = await http.app.inject({ method: 'GET', url: '/index.html' });
    expect(direct.body).not.toContain(CSP_NONCE_PLACEHOLDER);
  });

  it('the API reference keeps scripts to its own files (its bundled script writes inline styles)', async () => {
    const res = await http.app.inject({ method: 'GET', url: '/api/docs' });
    expect(res.statusCode).toBe(200);
    const csp = directivesOf(res.headers['content-security-policy']);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
  });

  it('over HTTPS (COOKIE_SECURE=1): HSTS, and requests upgraded to https', async () => {
    const res = await https.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.headers['strict-transport-security']).toMatch(/^max-age=31536000; includeSubDomains/);
    expect(directivesOf(res.headers['content-security-policy']).has('upgrade-insecure-requests')).toBe(true);
  });
});

describe('the session cookie', () => {
  async function signIn(t: TestApp) {
    const u = await createUser(t.database.db);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: u.email, password: TEST_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    return res;
  }

  it('over plain http it is engage_session: HttpOnly, SameSite=Lax, not Secure (browsers would drop it)', async () => {
    const res = await signIn(http);
    expect(res.cookies).toEqual([
      expect.objectContaining({ name: 'engage_session', httpOnly: true, sameSite: 'Lax', path: '/' }),
    ]);
    expect(res.cookies[0]!.secure).toBeUndefined();
  });

  it('over HTTPS it is __Host-engage_session: Secure, HttpOnly, path /, no domain; only that name signs in', async () => {
    const res = await signIn(https);
    expect(res.cookies).toHaveLength(1);
    const cookie = res.cookies[0]!;
    expect(cookie).toMatchObject({
      name: '__Host-engage_session',
      secure: true,
      httpOnly: true,
      sameSite: 'Lax',
      path: '/',
    });
    expect(cookie.domain).toBeUndefined();

    const me = (name: string) =>
      https.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `${name}=${cookie.value}` } });
    expect((await me('__Host-engage_session')).statusCode).toBe(200);
    expect((await me('engage_session')).statusCode).toBe(401);

    const out = await https.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: `__Host-engage_session=${cookie.value}` },
    });
    expect(out.statusCode).toBe(204);
    expect(out.cookies).toEqual([expect.objectContaining({ name: '__Host-engage_session', value: '', secure: true })]);
  });
});
