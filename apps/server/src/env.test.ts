import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { envSchema, loadConfig } from './env';

describe('configuration', () => {
  it('has defaults that run the demo on port 3000 with data in ./data', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.DEMO).toBe(true);
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.dataDir).toBe(path.resolve('./data'));
  });

  it('reads DEMO=0, PORT and DATA_DIR', () => {
    const c = loadConfig({ DEMO: '0', PORT: '4000', DATA_DIR: '/tmp/x' });
    expect(c).toMatchObject({ DEMO: false, PORT: 4000, dataDir: '/tmp/x' });
  });

  it('names the variable that is wrong and where to look', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT[\s\S]*README/);
  });

  it('TRUST_PROXY: off by default, a number of hops (1 = one load balancer), or a list of proxies; never "any"', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '0' }).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.5, 10.1.0.0/16,::1' }).TRUST_PROXY).toEqual([
      '10.0.0.5',
      '10.1.0.0/16',
      '::1',
    ]);
    expect(() => loadConfig({ TRUST_PROXY: 'lb.internal' })).toThrow(/TRUST_PROXY[\s\S]*lb\.internal/);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(/TRUST_PROXY/);
  });

  it('limits statements to 30 s and idle transactions to 60 s unless told otherwise', () => {
    expect(loadConfig({})).toMatchObject({ DB_STATEMENT_TIMEOUT_MS: 30_000, DB_IDLE_IN_TX_TIMEOUT_MS: 60_000 });
    expect(loadConfig({ DB_STATEMENT_TIMEOUT_MS: '0' }).DB_STATEMENT_TIMEOUT_MS).toBe(0);
  });

  it('lets imports hold at most half of the database pool, two connections each', () => {
    expect(loadConfig({}).IMPORTS_MAX_RUNNING).toBe(3);
    expect(loadConfig({ DB_POOL_SIZE: '8' }).IMPORTS_MAX_RUNNING).toBe(2);
    expect(loadConfig({ DB_POOL_SIZE: '40', IMPORTS_MAX_RUNNING: '10' }).IMPORTS_MAX_RUNNING).toBe(10);
    expect(() => loadConfig({ DB_POOL_SIZE: '20', IMPORTS_MAX_RUNNING: '6' })).toThrow(
      /IMPORTS_MAX_RUNNING: 6 imports would hold up to 12 of the 20 database connections.*lower it to 5 or raise DB_POOL_SIZE/,
    );
  });
});

describe('telephony settings', () => {
  it('default to no phone system; sip needs the WebSocket URL and the shared secret, and says so', () => {
    expect(loadConfig({}).TELEPHONY).toBe('none');
    expect(() => loadConfig({ TELEPHONY: 'sip' })).toThrow(
      /TELEPHONY_WS_URL: TELEPHONY=sip needs it[\s\S]*TELEPHONY_SECRET/,
    );
    expect(() =>
      loadConfig({ TELEPHONY: 'sip', TELEPHONY_WS_URL: 'http://x', TELEPHONY_SECRET: 'x'.repeat(16) }),
    ).toThrow(/TELEPHONY_WS_URL: expected a ws:\/\/ or wss:\/\/ URL/);
    expect(() => loadConfig({ TELEPHONY_ICE_SERVERS: '{"urls":1}' })).toThrow(
      /TELEPHONY_ICE_SERVERS: expected a JSON array/,
    );
    const c = loadConfig({
      TELEPHONY: 'sip',
      TELEPHONY_WS_URL: 'ws://127.0.0.1:8088',
      TELEPHONY_SECRET: 'y'.repeat(32),
    });
    expect(c).toMatchObject({ TELEPHONY: 'sip', TELEPHONY_CREDENTIAL_TTL_SECONDS: 600, TELEPHONY_ICE_SERVERS: [] });
    expect(() =>
      loadConfig({
        TELEPHONY: 'sip',
        TELEPHONY_WS_URL: 'ws://sip.x.org',
        TELEPHONY_SECRET: 'y'.repeat(32),
        COOKIE_SECURE: '1',
      }),
    ).toThrow(/TELEPHONY_WS_URL: the app is served over HTTPS .* use wss:\/\//);
    expect(() =>
      loadConfig({ TELEPHONY: 'sip', TELEPHONY_WS_URL: 'wss://', TELEPHONY_SECRET: 'y'.repeat(32) }),
    ).toThrow(/TELEPHONY_WS_URL: expected a ws:\/\/ or wss:\/\/ URL/);
  });
});

describe("the README's settings table", () => {
  /** Every variable env.ts reads: the schema's keys, and the few it reads for tests and benchmarks. */
  const source = fs.readFileSync(path.join(import.meta.dirname, 'env.ts'), 'utf8');
  const read = new Set([
    ...Object.keys(envSchema.shape),
    ...[...source.matchAll(/process\.env\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!),
  ]);

  /** The rows of the table under "## Configuration": variable -> default cell. */
  const readme = fs.readFileSync(path.join(import.meta.dirname, '../../../README.md'), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Configuration')) ?? '';
  const rows = new Map([...section.matchAll(/^\| `([A-Z][A-Z0-9_]*)` *\| *([^|]*?) *\|/gm)].map((m) => [m[1]!, m[2]!]));

  it('lists every variable env.ts reads, and none it does not', () => {
    expect(read.size).toBeGreaterThan(30);
    expect(
      [...read].filter((v) => !rows.has(v)),
      'add these to the README, "Configuration"',
    ).toEqual([]);
    expect(
      [...rows.keys()].filter((v) => !read.has(v)),
      'these are no longer read: remove them',
    ).toEqual([]);
  });

  it('gives the default env.ts gives, where there is one', () => {
    const defaults: Record<string, unknown> = { ...loadConfig({}) };
    const shown = (v: unknown) => (typeof v === 'boolean' ? (v ? '1' : '0') : String(v));
    const wrong = [...rows]
      .filter(([name]) => ['string', 'number', 'boolean'].includes(typeof defaults[name]))
      .filter(([name, cell]) => cell !== `\`${shown(defaults[name])}\``)
      .map(([name, cell]) => `${name}: README ${cell}, env.ts ${shown(defaults[name])}`);
    expect(wrong).toEqual([]);
  });
});
