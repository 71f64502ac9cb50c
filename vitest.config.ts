import { defineConfig } from 'vitest/config';

const reportFile = process.env.VITEST_REPORT_FILE;

export default defineConfig({
  test: {
    reporters: reportFile ? ['default', ['json', { outputFile: reportFile }]] : ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['apps/*/src/**/*.test.ts', 'packages/*/src/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['apps/server/src/**/*.int.test.ts', 'apps/server/test/**/*.int.test.ts'],
          environment: 'node',
          globalSetup: ['apps/server/test/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
        },
      },
      {
        // The reference SIP deployment (telephony/) with Kamailio, rtpengine and SIPp; skipped when
        // they are not installed (scripts/test.mjs says so loudly).
        test: {
          name: 'telephony',
          include: ['apps/server/test/telephony/**/*.telephony.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        // The softphone in Chromium against Kamailio, rtpengine and SIPp (apps/web/e2e/softphone-setup.ts);
        // skipped when they are not installed.
        test: {
          name: 'softphone',
          include: ['apps/web/e2e/**/*.softphone.test.ts'],
          environment: 'node',
          globalSetup: ['apps/web/e2e/softphone-setup.ts'],
          testTimeout: 90_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['apps/web/e2e/**/*.e2e.test.ts'],
          environment: 'node',
          globalSetup: ['apps/web/e2e/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
