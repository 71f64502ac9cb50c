import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

/** An IPv4 or IPv6 address, optionally with a /prefix (CIDR), or one of proxy-addr's named ranges. */
function isAddressOrRange(s: string): boolean {
  if (s === 'loopback' || s === 'linklocal' || s === 'uniquelocal') return true;
  const [address = '', prefix, ...rest] = s.split('/');
  const family = net.isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d{1,3}$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

/**
 * Which proxies' X-Forwarded-For to believe: `false` (none: the client address is the
 * connection's), a number of hops (`1`: the one load balancer in front appends the real client's
 * address; anything further left was sent by the client and is ignored), or a list of proxy
 * addresses/ranges (only a connection from one of them is believed). Never "any proxy".
 * app.ts turns it into Fastify's `trustProxy`.
 */
const trustProxy = z
  .string()
  .trim()
  .transform((v, ctx): false | number | string[] => {
    if (['', '0', 'false', 'no'].includes(v)) return false;
    if (v === 'true' || v === 'yes') return 1;
    if (/^\d+$/.test(v)) return Number(v);
    const list = v
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    const bad = list.filter((x) => !isAddressOrRange(x));
    if (bad.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `expected 0, a number of proxy hops, or a comma-separated list of proxy addresses/ranges (e.g. 10.0.0.0/8); not an address: ${bad.join(', ')}`,
      });
      return z.NEVER;
    }
    return list;
  });

const iceServersSchema = z.array(
  z.object({
    urls: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    username: z.string().optional(),
    credential: z.string().optional(),
  }),
);

/** Every environment variable the server reads, parsed once. Documented in the README (env.test.ts checks). */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().optional(),
  DATA_DIR: z.string().default('./data'),
  DEMO: bool.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(20),
  /** A statement running longer is cancelled (0: no limit); long jobs raise it with SET LOCAL. */
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
  /** A connection left idle inside a transaction this long is ended by PostgreSQL (0: never). */
  DB_IDLE_IN_TX_TIMEOUT_MS: z.coerce.number().int().min(0).default(60_000),
  SESSION_IDLE_MINUTES: z.coerce.number().positive().default(60),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().positive().default(12),
  /** The app is served over HTTPS: Secure `__Host-` session cookie, HSTS, upgrade-insecure-requests. */
  COOKIE_SECURE: bool.default(false),
  TRUST_PROXY: trustProxy.default(false),
  ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    ),
  BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(1_048_576),
  LOGIN_WINDOW_MINUTES: z.coerce.number().positive().default(15),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().positive().default(5),
  LOGIN_SLOWDOWN_AFTER_FAILURES: z.coerce.number().int().positive().default(20),
  LOGIN_SLOWDOWN_MAX_SECONDS: z.coerce.number().min(0).max(60).default(10),
  WEB_DIST_DIR: z.string().optional(),
  IMPORT_MAX_BYTES: z.coerce.number().int().positive().default(209_715_200), // 200 MB
  UPLOAD_DIR: z.string().optional(),
  /** An uploaded file not imported (never started, or failed) is deleted after this long. */
  IMPORT_UPLOAD_EXPIRY_HOURS: z.coerce.number().positive().default(24),
  /**
   * Imports running at once on one instance; each holds up to two database connections, and
   * imports may hold at most half of DB_POOL_SIZE. Default: 3, or fewer on a small pool.
   */
  IMPORTS_MAX_RUNNING: z.coerce.number().int().min(1).optional(),
  /** Imports one person may run at once on one instance. */
  IMPORTS_MAX_RUNNING_PER_USER: z.coerce.number().int().min(1).default(1),
  /** Live-event streams (GET /api/events) one instance keeps open; more are refused with 503. */
  EVENTS_MAX_STREAMS: z.coerce.number().int().min(1).default(2000),
  /** Live-event streams one user may keep open on one instance; a new one closes their oldest. */
  EVENTS_MAX_STREAMS_PER_USER: z.coerce.number().int().min(1).default(8),
  LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(45),
  SWEEP_SECONDS: z.coerce.number().positive().default(5),
  SHIFT_ABANDON_MINUTES: z.coerce.number().positive().default(60),
  OPEN_CALL_ABANDON_MINUTES: z.coerce.number().positive().default(10),
  /**
   * The phone system the agents' screens use: `none` (Start Call shows a tel: link, desk-phone
   * calls are logged by hand) or `sip` (a softphone in the browser registers with the SIP server
   * at TELEPHONY_WS_URL with credentials Engage issues: features/telephony).
   */
  TELEPHONY: z.enum(['none', 'sip']).default('none'),
  /** The SIP server's WebSocket URL the softphones connect to (ws:// or wss://); TELEPHONY=sip needs it. */
  TELEPHONY_WS_URL: z
    .string()
    .trim()
    .refine(
      (v) => /^wss?:$/.test(URL.parse(v)?.protocol ?? ''),
      'expected a ws:// or wss:// URL, e.g. wss://sip.example.org:8443',
    )
    .optional(),
  /** The SIP domain of the agents' addresses (sip:agent-<id>@domain); default: the WebSocket URL's host. */
  TELEPHONY_SIP_DOMAIN: z.string().trim().min(1).optional(),
  /** The secret the SIP server shares with Engage for ephemeral credentials (auth_ephemeral); TELEPHONY=sip needs it. */
  TELEPHONY_SECRET: z.string().min(16, 'use a secret of at least 16 characters').optional(),
  /** How long a softphone's credentials are good for; the softphone asks for new ones before they end. */
  TELEPHONY_CREDENTIAL_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(600),
  /**
   * STUN/TURN servers the browser uses to reach the SIP server's media, as JSON (RTCIceServer[]),
   * e.g. [{"urls":"turn:turn.example.org:3478","username":"u","credential":"p"}]; none on one machine.
   */
  TELEPHONY_ICE_SERVERS: z
    .string()
    .default('[]')
    .transform((v, ctx) => {
      try {
        return iceServersSchema.parse(JSON.parse(v));
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: 'expected a JSON array of {"urls": "stun:..." | ["turn:..."], "username"?, "credential"?}',
        });
        return z.NEVER;
      }
    }),
});

/** Each running import holds its own connection and, now and then, a second one for the queues. */
export const IMPORT_CONNECTIONS = 2;

/** The most imports a pool of this size may run at once: they may hold at most half of it. */
const importsFitting = (poolSize: number) => Math.max(1, Math.floor(poolSize / (2 * IMPORT_CONNECTIONS)));

/** Settings that depend on each other. */
const checkedEnvSchema = envSchema
  .superRefine((env, ctx) => {
    const most = importsFitting(env.DB_POOL_SIZE);
    if (env.IMPORTS_MAX_RUNNING !== undefined && env.IMPORTS_MAX_RUNNING > most) {
      ctx.addIssue({
        code: 'custom',
        path: ['IMPORTS_MAX_RUNNING'],
        message: `${env.IMPORTS_MAX_RUNNING} imports would hold up to ${env.IMPORTS_MAX_RUNNING * IMPORT_CONNECTIONS} of the ${env.DB_POOL_SIZE} database connections (DB_POOL_SIZE), and imports may hold at most half: lower it to ${most} or raise DB_POOL_SIZE`,
      });
    }
  })
  .superRefine((env, ctx) => {
    if (env.TELEPHONY !== 'sip') return;
    if (env.COOKIE_SECURE && env.TELEPHONY_WS_URL?.startsWith('ws://')) {
      ctx.addIssue({
        code: 'custom',
        path: ['TELEPHONY_WS_URL'],
        message:
          'the app is served over HTTPS (COOKIE_SECURE), where browsers refuse a plain ws:// connection: use wss://',
      });
    }
    for (const name of ['TELEPHONY_WS_URL', 'TELEPHONY_SECRET'] as const) {
      if (env[name] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `TELEPHONY=sip needs it (the SIP server's ${name === 'TELEPHONY_WS_URL' ? 'WebSocket URL' : 'shared ephemeral-credentials secret'}); set it, or TELEPHONY=none`,
        });
      }
    }
  })
  .transform((env) => ({
    ...env,
    IMPORTS_MAX_RUNNING: env.IMPORTS_MAX_RUNNING ?? Math.min(3, importsFitting(env.DB_POOL_SIZE)),
  }));

export type Env = z.infer<typeof checkedEnvSchema>;

export interface Config extends Env {
  dataDir: string;
}

export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = checkedEnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid environment configuration:\n${lines}\nFix these variables (see README, "Configuration").`);
  }
  return { ...parsed.data, dataDir: path.resolve(parsed.data.DATA_DIR) };
}

/** Variables read by tests and benchmarks; kept here so nothing else touches process.env. */
export const testEnv = {
  testDatabaseUrl: process.env.TEST_DATABASE_URL,
  benchDatabaseUrl: process.env.BENCH_DATABASE_URL,
};
