import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { missingPackages, resolveSettings, startStack, type TelephonyStack } from '../../../telephony/stack.mjs';
import { startApp, type StartedApp } from './global-setup';

declare module 'vitest' {
  export interface ProvidedContext {
    softphone: {
      /** Why the softphone tests cannot run here (null: they can). */
      skip: string | null;
      carrierPort: number;
      cliPort: number;
      runDir: string;
      dataDir: string;
      ringTimeoutSeconds: number;
    };
  }
}

const SECRET = 'engage-softphone-test-secret';
const RING_TIMEOUT_SECONDS = 5;
let stack: TelephonyStack | null = null;
let app: StartedApp | null = null;
let runDir: string | null = null;

/**
 * The softphone's browser tests: the reference SIP deployment (Kamailio + rtpengine on free ports)
 * and the real app started with TELEPHONY=sip pointing at it. Without the Debian packages the
 * tests skip (scripts/test.mjs says so loudly).
 */
export async function setup(project: TestProject): Promise<void> {
  const missing = missingPackages();
  const none = { carrierPort: 0, cliPort: 0, runDir: '', dataDir: '', ringTimeoutSeconds: RING_TIMEOUT_SECONDS };
  if (missing.length > 0) {
    project.provide('softphone', { skip: `missing Debian packages ${missing.join(', ')}`, ...none });
    project.provide('baseUrl', '');
    return;
  }
  runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'engage-softphone-'));
  const settings = await resolveSettings({ random: true });
  settings.ringTimeoutSeconds = RING_TIMEOUT_SECONDS;
  stack = await startStack({ runDir, settings, secret: SECRET });
  app = await startApp('softphone', {
    TELEPHONY: 'sip',
    TELEPHONY_WS_URL: stack.wsUrl,
    TELEPHONY_SECRET: SECRET,
  });
  project.provide('baseUrl', app.baseUrl);
  project.provide('softphone', {
    skip: null,
    carrierPort: settings.carrierPort,
    cliPort: settings.cliPort,
    runDir,
    dataDir: app.dataDir,
    ringTimeoutSeconds: RING_TIMEOUT_SECONDS,
  });
}

export async function teardown(): Promise<void> {
  await app?.stop();
  await stack?.stop();
  if (runDir) fs.rmSync(runDir, { recursive: true, force: true });
}
