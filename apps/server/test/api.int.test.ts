import Fastify from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerGuard } from '../src/lib/guard';
import { createTestApp, login, type TestApp } from './app';
import { createUser, TEST_PASSWORD } from './factories';

let t: TestApp;
let cookie: string;

beforeAll(async () => {
  t = await createTestApp({ env: { BODY_LIMIT_BYTES: '2048' } });
  const u = await createUser(t.database.db, { role: 'admin' });
  cookie = await login(t.app, u.email, TEST_PASSWORD);
});

function expectErrorShape(body: Record<string, unknown>) {
  expect(Object.keys(body).sort()).toEqual(expect.arrayContaining(['code', 'message', 'requestId']));
  const text = JSON.stringify(body);
  expect(text).not.toMatch(/\bat .*\.(ts|js):\d+/); // no stack frames
  expect(text).not.toMatch(/select |insert |update |relation "/i); // no SQL
}

describe('health', () => {
  it('reports the database', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', database: { ok: true } });
    expect(res.headers['x-request-id']).toBeTruthy();
  });
});

describe('OpenAPI document', () => {
  it('is generated from the schemas, with an operationId on every operation', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    const ops: { method: string; path: string; operationId?: string }[] = [];
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, { operationId?: string }>>)) {
      for (const [method, op] of Object.entries(item)) ops.push({ method, path, operationId: op.operationId });
    }
    expect(ops.length).toBeGreaterThanOrEqual(4);
    expect(ops.filter((o) => !o.operationId)).toEqual([]);
    const ids = ops.map((o) => o.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['login', 'getMe', 'logout', 'getHealth']));
    const loginOp = doc.paths['/api/auth/login'].post;
    expect(JSON.stringify(loginOp.requestBody)).toContain('email');
  });

  it("declares the phone system's token and signature on its two operations", async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.components.securitySchemes.phoneSystemToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.securitySchemes.phoneSystemSignature).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'X-Engage-Signature',
    });
    for (const path of ['/api/phone-system/calls', '/api/phone-system/calls/events']) {
      expect(doc.paths[path].post.security, path).toEqual([{ phoneSystemToken: [], phoneSystemSignature: [] }]);
    }
  });

  it('has a readable API reference at /api/docs', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toMatch(/swagger/i);
  });
});

describe('errors have one shape', () => {
  it('malformed JSON: 400 malformed_json', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: '{"email": "a@b.org", "password": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('malformed_json');
    expectErrorShape(res.json());
  });

  it('failed validation: 400 with the fields', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 42 } });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('validation_failed');
    expect(body.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'body.email' })]));
    expectErrorShape(body);
  });

  it('a body over the limit: 413', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'a@b.org', password: 'x'.repeat(5000) },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('payload_too_large');
    expectErrorShape(res.json());
  });

  it('an unknown route: 404 route_not_found, for GET and POST, signed in or not', async () => {
    for (const method of ['GET', 'POST'] as const) {
      const res = await t.app.inject({
        method,
        url: '/api/no-such-thing',
        headers: { cookie },
        payload: method === 'POST' ? {} : undefined,
      });
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('route_not_found');
      expectErrorShape(res.json());
    }
  });

  it('an unexpected failure answers 500 internal_error without details', async () => {
    // The pool is closed underneath a route: the database error must not reach the client.
    const broken = await createTestApp();
    await broken.database.pool.end();
    const res = await broken.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'x@y.org', password: 'pw' },
    });
    expect(res.statusCode).toBe(500);
    expect(res.json().code).toBe('internal_error');
    expectErrorShape(res.json());
    const health = await broken.app.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(503);
    expect(health.json().database.ok).toBe(false);
  });
});

describe('route guard', () => {
  it('every /api route declares who may call it', async () => {
    const apiRoutes = t.app.routeAccess.filter((r) => r.url.startsWith('/api/') && r.method !== 'HEAD');
    expect(apiRoutes.length).toBeGreaterThanOrEqual(5);
    expect(apiRoutes.filter((r) => !r.access)).toEqual([]);
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const path of Object.keys(doc.paths as object)) {
      const url = path.replace(/\{(\w+)\}/g, ':$1');
      expect(
        apiRoutes.some((r) => r.url === url),
        `${path} is in the route table`,
      ).toBe(true);
    }
    // Without a session, only public routes answer.
    for (const r of apiRoutes.filter((x) => x.access !== 'public' && !x.url.includes(':'))) {
      const res = await t.app.inject({
        method: r.method as 'GET',
        url: r.url,
        payload: r.method === 'GET' ? undefined : {},
      });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
    }
    // The guard refuses to register a route without an access rule at start-up.
    const app = Fastify();
    registerGuard(app, { auth: {} as never, config: { ALLOWED_ORIGINS: [], COOKIE_SECURE: false } });
    expect(() => app.get('/api/unguarded', async () => 'oops')).toThrow(/declares no access rule/);
    await app.close();
  });
});

describe('the agent API', () => {
  it('has every operation a phone-system integration uses, under its operationId', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const ids = Object.values(doc.paths as Record<string, Record<string, { operationId: string }>>).flatMap((item) =>
      Object.values(item).map((op) => op.operationId),
    );
    expect(ids).toEqual(
      expect.arrayContaining([
        'listJobRoles',
        'listSkipReasons',
        'listEndReasons',
        'listBreakReasons',
        'listMyCampaigns',
        'openShift',
        'getShift',
        'setReady',
        'nextDonor',
        'skipOffer',
        'startCall',
        'endCall',
        'recordDonation',
        'takeBreak',
        'resumeShift',
        'closeShift',
        'listMyCalls',
        'listMyAppointments',
      ]),
    );
  });
});
