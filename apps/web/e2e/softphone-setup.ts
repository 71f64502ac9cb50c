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
      /** Kamailio's socket facing the carrier: SIPp calls the demo line's number there. */
      trunkSocketPort: number;
      cliPort: number;
      runDir: string;
      dataDir: string;
      ringTimeoutSeconds: number;
    };
  }
}

const SECRET = 'engage-softphone-test-secret';
const RING_TIMEOUT_SECONDS = 5;
/** Where the demo start writes its phone system's token (apps/server/src/demo/content.ts DEMO_PHONE_SYSTEM_TOKEN_FILE). */
const DEMO_PHONE_SYSTEM_TOKEN_FILE = 'demo-phone-system-token';
let stack: TelephonyStack | null = null;
let app: StartedApp | null = null;
let runDir: string | null = null;

/**
 * The softphone's browser tests: the reference SIP deployment (Kamailio + rtpengine on free ports)
 * and the real app started with TELEPHONY=sip pointing at it. Kamailio is the app's phone system
 * for calls from the carrier (startStack's `engage`): the app starts first (its WebSocket URL is
 * known from the ports), then Kamailio with the app's URL and the demo phone system's token, which
 * the demo start writes into the data directory. Without the Debian packages the tests skip
 * (scripts/test.mjs says so loudly).
 */
export async function setup(project: TestProject): Promise<void> {
  const missing = missingPackages();
  const none = {
    carrierPort: 0,
    trunkSocketPort: 0,
    cliPort: 0,
    runDir: '',
    dataDir: '',
    ringTimeoutSeconds: RING_TIMEOUT_SECONDS,
  };
  if (missing.length > 0) {
    project.provide('softphone', { skip: `missing Debian packages ${missing.join(', ')}`, ...none });
    project.provide('baseUrl', '');
    return;
  }
  runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'engage-softphone-'));
  const settings = await resolveSettings({ random: true });
  settings.ringTimeoutSeconds = RING_TIMEOUT_SECONDS;
  app = await startApp('softphone', {
    TELEPHONY: 'sip',
    TELEPHONY_WS_URL: `ws://127.0.0.1:${settings.wsPort}`,
    TELEPHONY_SECRET: SECRET,
  });
  const token = fs.readFileSync(path.join(app.dataDir, DEMO_PHONE_SYSTEM_TOKEN_FILE), 'utf8').trim();
  stack = await startStack({ runDir, settings, secret: SECRET, engage: { url: app.baseUrl, token } });
  project.provide('baseUrl', app.baseUrl);
  project.provide('softphone', {
    skip: null,
    carrierPort: settings.carrierPort,
    trunkSocketPort: settings.trunkSocketPort,
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
