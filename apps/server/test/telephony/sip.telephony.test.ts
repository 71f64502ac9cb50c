// The reference SIP deployment (telephony/), tested against the real thing: rtpengine and Kamailio
// started on free ports, SIPp playing the agents' phones and the carrier. Skipped, loudly in
// `npm test`, when the Debian packages are not installed (scripts/test.mjs prints what to install).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ephemeralCredentials,
  freePort,
  missingPackages,
  resolveSettings,
  rtpengineStats,
  runSipp,
  startStack,
  type SippResult,
  type TelephonyStack,
} from '../../../../telephony/stack.mjs';

const missing = missingPackages();
const SECRET = 'engage-test-secret';
const RING_TIMEOUT_SECONDS = 3;

let stack: TelephonyStack;
let runDir: string;
let seq = 0;

/** Counts a SIP status line ("SIP/2.0 486") or request line ("BYE sip:") in a message log. */
function count(messages: string, line: RegExp): number {
  return messages.split('\n').filter((l) => line.test(l)).length;
}

/** The SIP messages of a log whose start line matches, each as one string. */
function messagesStarting(log: string, start: RegExp): string[] {
  const out: string[] = [];
  const lines = log.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!start.test(lines[i]!)) continue;
    const end = lines.findIndex((l, j) => j > i && /^\s*$/.test(l));
    out.push(lines.slice(i, end === -1 ? undefined : end).join('\n'));
  }
  return out;
}

async function sipp(
  scenario: string,
  opts: {
    target?: string;
    user?: string;
    creds?: { username: string; password: string };
    args?: string[];
    port?: number;
  },
) {
  const port = opts.port ?? (await freePort('udp'));
  const mediaPort = await freePort('udp');
  const args = ['-m', '1', '-p', String(port), '-mp', String(mediaPort), ...(opts.args ?? [])];
  if (opts.user) args.push('-s', opts.user);
  if (opts.creds) args.push('-au', opts.creds.username, '-ap', opts.creds.password);
  const run = runSipp({
    scenario,
    target: opts.target,
    args,
    runDir,
    name: `${++seq}-${scenario.replace('.xml', '')}`,
  });
  return { ...run, port };
}

const agentsSocket = () => `127.0.0.1:${stack.settings.sipPort}`;
const trunkSocket = () => `127.0.0.1:${stack.settings.trunkSocketPort}`;

async function register(user: string, creds: { username: string; password: string }, port?: number) {
  return (await sipp('register.xml', { target: agentsSocket(), user, creds, port })).done;
}

/** The carrier answers (or not) on its port; the agent's UA calls a number through Kamailio. */
async function callOut(carrierScenario: string, holdMs = 3000) {
  const carrier = runSipp({
    scenario: carrierScenario,
    args: [
      '-m',
      '1',
      '-p',
      String(stack.settings.carrierPort),
      '-mp',
      String(await freePort('udp')),
      '-d',
      String(holdMs),
    ],
    runDir,
    name: `${++seq}-${carrierScenario.replace('.xml', '')}`,
  });
  await new Promise((r) => setTimeout(r, 300));
  const creds = ephemeralCredentials(SECRET, 'agent-1');
  const startedAt = Date.now();
  const agent = await sipp('agent-call.xml', {
    target: agentsSocket(),
    user: 'agent-1',
    creds,
    args: ['-key', 'dial', '+442079460000'],
  });
  const caller = await agent.done;
  const callee = await carrier.done;
  return { caller, callee, seconds: (Date.now() - startedAt) / 1000 };
}

function explain(r: SippResult) {
  return `exit ${r.code}\n${r.errors.slice(0, 2000)}\n${r.output.slice(-1000)}`;
}

function totals() {
  return rtpengineStats(stack.settings.cliPort).totalstatistics;
}

describe.skipIf(missing.length > 0)('reference SIP deployment (Kamailio + rtpengine, SIPp)', () => {
  beforeAll(async () => {
    runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'engage-telephony-'));
    const settings = await resolveSettings({ random: true });
    settings.ringTimeoutSeconds = RING_TIMEOUT_SECONDS;
    stack = await startStack({ runDir, settings, secret: SECRET });
  });

  afterAll(async () => {
    await stack?.stop();
    if (runDir) fs.rmSync(runDir, { recursive: true, force: true });
  });

  it('registers an agent whose ephemeral credentials are good, and refuses a wrong secret, an expired timestamp or another agent’s credentials', async () => {
    const good = await register('agent-1', ephemeralCredentials(SECRET, 'agent-1', 600));
    expect(good.code, explain(good)).toBe(0);
    expect(count(good.messages, /^SIP\/2\.0 200/)).toBe(1);

    const wrongSecret = await register('agent-1', ephemeralCredentials('not-the-secret', 'agent-1', 600));
    expect(wrongSecret.code).not.toBe(0);
    expect(count(wrongSecret.messages, /^SIP\/2\.0 401/)).toBeGreaterThanOrEqual(2);
    expect(count(wrongSecret.messages, /^SIP\/2\.0 200/)).toBe(0);

    const expired = await register('agent-1', ephemeralCredentials(SECRET, 'agent-1', -60));
    expect(expired.code).not.toBe(0);
    expect(count(expired.messages, /^SIP\/2\.0 401/)).toBeGreaterThanOrEqual(2);
    expect(count(expired.messages, /^SIP\/2\.0 200/)).toBe(0);

    const otherAgent = await register('agent-1', ephemeralCredentials(SECRET, 'agent-2', 600));
    expect(otherAgent.code).not.toBe(0);
    expect(count(otherAgent.messages, /^SIP\/2\.0 403 Credentials are for another agent/)).toBeGreaterThanOrEqual(1);
    expect(count(otherAgent.messages, /^SIP\/2\.0 200/)).toBe(0);
  });

  it('puts a registered agent’s call through to the trunk: answered, about 3 s, BYE through Kamailio, media relayed both ways and the session deleted', async () => {
    const before = totals();
    const { caller, callee, seconds } = await callOut('trunk-answer.xml', 3000);
    expect(caller.code, explain(caller)).toBe(0);
    expect(callee.code, explain(callee)).toBe(0);
    expect(count(caller.messages, /^SIP\/2\.0 200 OK/)).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeGreaterThan(2.9);
    expect(seconds).toBeLessThan(6);

    // The carrier's BYE reached the agent through Kamailio (its Via on top), not around it.
    const byes = messagesStarting(caller.messages, /^BYE sip:/);
    expect(byes).toHaveLength(1);
    expect(byes[0]).toMatch(new RegExp(`^Via: SIP/2\\.0/UDP 127\\.0\\.0\\.1:${stack.settings.sipPort};`, 'm'));
    // The carrier saw a double Record-Route: the trunk socket and the agents' socket.
    const invites = messagesStarting(callee.messages, /^INVITE sip:/);
    expect(invites[0]).toContain(`127.0.0.1:${stack.settings.trunkSocketPort};r2=on;lr`);
    expect(invites[0]).toContain(`127.0.0.1:${stack.settings.sipPort};r2=on;lr`);

    const after = totals();
    expect(after.managedsessions! - before.managedsessions!).toBe(1);
    expect(after.regularterminatedsessions! - before.regularterminatedsessions!).toBe(1);
    expect(after.relayedpackets! - before.relayedpackets!).toBeGreaterThan(100);
    expect(after.onewaystreams! - before.onewaystreams!).toBe(0);
    expect(after.zerowaystreams! - before.zerowaystreams!).toBe(0);
    const talk = after.totalcallsduration! - before.totalcallsduration!;
    expect(talk).toBeGreaterThan(2.5);
    expect(talk).toBeLessThan(4.5);
    expect(rtpengineStats(stack.settings.cliPort).currentstatistics.sessionstotal).toBe(0);
  });

  it('brings back 486 Busy Here as busy, and a call nobody answers as 408 after the ring time-out (CANCEL to the carrier); both media sessions are deleted', async () => {
    const before = totals();
    const busy = await callOut('trunk-busy.xml');
    expect(busy.caller.code, explain(busy.caller)).toBe(0);
    expect(busy.callee.code, explain(busy.callee)).toBe(0);
    expect(count(busy.caller.messages, /^SIP\/2\.0 486/)).toBe(1);
    expect(count(busy.caller.messages, /^SIP\/2\.0 200/)).toBe(0);

    const noAnswer = await callOut('trunk-noanswer.xml');
    expect(noAnswer.caller.code, explain(noAnswer.caller)).toBe(0);
    expect(noAnswer.callee.code, explain(noAnswer.callee)).toBe(0);
    expect(count(noAnswer.caller.messages, /^SIP\/2\.0 180/)).toBeGreaterThanOrEqual(1);
    expect(count(noAnswer.caller.messages, /^SIP\/2\.0 408/)).toBe(1);
    expect(count(noAnswer.callee.messages, /^CANCEL sip:/)).toBe(1);
    expect(noAnswer.seconds).toBeGreaterThan(RING_TIMEOUT_SECONDS - 0.5);

    const after = totals();
    expect(after.managedsessions! - before.managedsessions!).toBe(2);
    expect(after.regularterminatedsessions! - before.regularterminatedsessions!).toBe(2);
    expect(rtpengineStats(stack.settings.cliPort).currentstatistics.sessionstotal).toBe(0);
  });

  it('rings a registered agent for an inbound call from the trunk, and answers 480 for an agent who is not registered', async () => {
    const before = totals();
    // The agent's UA registers from a port, then answers calls on that same port.
    const agentPort = await freePort('udp');
    const registered = await register('agent-7', ephemeralCredentials(SECRET, 'agent-7'), agentPort);
    expect(registered.code, explain(registered)).toBe(0);
    const agent = await sipp('agent-answer.xml', { port: agentPort });
    await new Promise((r) => setTimeout(r, 300));
    const carrier = await sipp('trunk-call.xml', { target: trunkSocket(), user: 'agent-7', args: ['-d', '2000'] });
    const carrierResult = await carrier.done;
    const agentResult = await agent.done;
    expect(carrierResult.code, explain(carrierResult)).toBe(0);
    expect(agentResult.code, explain(agentResult)).toBe(0);
    const invites = messagesStarting(agentResult.messages, /^INVITE sip:/);
    expect(invites).toHaveLength(1);
    expect(invites[0]).toMatch(new RegExp(`^INVITE sip:agent-7@127\\.0\\.0\\.1:${agentPort}`));
    expect(count(agentResult.messages, /^BYE sip:/)).toBe(1);

    const after = totals();
    expect(after.relayedpackets! - before.relayedpackets!).toBeGreaterThan(50);
    expect(after.onewaystreams! - before.onewaystreams!).toBe(0);
    expect(after.regularterminatedsessions! - before.regularterminatedsessions!).toBe(1);

    const nobody = await (
      await sipp('trunk-call.xml', { target: trunkSocket(), user: 'agent-99', args: ['-d', '1000'] })
    ).done;
    expect(nobody.code).not.toBe(0);
    expect(count(nobody.messages, /^SIP\/2\.0 480 Agent not registered/)).toBeGreaterThanOrEqual(1);
    expect(count(nobody.messages, /^SIP\/2\.0 200/)).toBe(0);
  });
});

if (missing.length > 0) {
  describe('reference SIP deployment', () => {
    it.skip(`needs: sudo apt-get install -y ${missing.join(' ')}`, () => {});
  });
}
