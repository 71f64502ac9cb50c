import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

/** Every environment variable the server reads, parsed once. Documented in the README. */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().optional(),
  DATA_DIR: z.string().default('./data'),
  DEMO: bool.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(20),
  SESSION_IDLE_MINUTES: z.coerce.number().positive().default(60),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().positive().default(12),
  COOKIE_SECURE: bool.default(false),
  TRUST_PROXY: bool.default(false),
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
  LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().positive().default(30),
  WEB_DIST_DIR: z.string().optional(),
  IMPORT_MAX_BYTES: z.coerce.number().int().positive().default(209_715_200), // 200 MB
  UPLOAD_DIR: z.string().optional(),
  LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(45),
  SWEEP_SECONDS: z.coerce.number().positive().default(5),
  SHIFT_ABANDON_MINUTES: z.coerce.number().positive().default(60),
  OPEN_CALL_ABANDON_MINUTES: z.coerce.number().positive().default(10),
});

export type Env = z.infer<typeof envSchema>;

export interface Config extends Env {
  dataDir: string;
}

export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(source);
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
