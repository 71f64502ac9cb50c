// Types for stack.mjs (plain JavaScript so that `npm run telephony:dev` runs without a build).
import type { ChildProcess } from 'node:child_process';

export const TELEPHONY_DIR: string;
export const SIPP_DIR: string;
export const KAMAILIO_CFG: string;
export const APT_PACKAGES: string[];
export function missingPackages(): string[];
export function installCommand(packages?: string[]): string;
export function freePort(kind?: 'udp' | 'tcp'): Promise<number>;
export function ephemeralCredentials(
  secret: string,
  user: string,
  ttlSeconds?: number,
  nowSeconds?: number,
): { username: string; password: string };
export function loadSecret(runDir: string): { secret: string; source: string };

export interface TelephonySettings {
  sipPort: number;
  wsPort: number;
  trunkSocketPort: number;
  ngPort: number;
  cliPort: number;
  carrierPort: number;
  rtpMin: number;
  rtpMax: number;
  trunkUri: string;
  trunkSourceIp: string;
  ringTimeoutSeconds: number;
}
export function resolveSettings(options?: { random?: boolean }): Promise<TelephonySettings>;
export function rtpengineCtl(cliPort: number, args: string[]): { ok: boolean; out: string };
export function rtpengineStats(cliPort: number): {
  currentstatistics: Record<string, number>;
  totalstatistics: Record<string, number>;
};
export function sipPing(port: number, timeoutMs?: number): Promise<string | null>;

export interface TelephonyStack {
  settings: TelephonySettings;
  secret: string;
  runDir: string;
  wsUrl: string;
  rtpengine: ChildProcess;
  kamailio: ChildProcess;
  stop(): Promise<void>;
}
export function startStack(options: {
  runDir: string;
  settings: TelephonySettings;
  secret: string;
  inheritLogs?: boolean;
  children?: number;
  /** Calls from the trunk ask Engage's phone-system API which agent to ring (token: createPhoneSystemToken). */
  engage?: { url: string; token: string };
}): Promise<TelephonyStack>;

export interface SippResult {
  code: number;
  messages: string;
  errors: string;
  output: string;
}
export function runSipp(options: {
  scenario: string;
  target?: string;
  args?: string[];
  runDir: string;
  name: string;
  timeoutSeconds?: number;
  /** -trace_msg into runDir/<name>.messages.log (default true; off for load). */
  traceMessages?: boolean;
}): { child: ChildProcess; done: Promise<SippResult>; stop(): Promise<void> };
