/**
 * Plays an organisation's phone system against a running Engage, so a person sees inbound calls
 * arrive (issue 11). With the app running (npm start, demo data):
 *   npm run simulate:inbound [-- --calls 5 --every 20 --poll 3 --url http://127.0.0.1:3000 --token eps_... | --data-dir data]
 * Every `--every` seconds a caller rings the demo line "Supporter care" from a demo donor's number
 * (now and then an unknown or withheld one); Engage's answers are printed. A rung agent who does
 * not answer within the ring time is reported (no_answer) and the next instruction followed. A
 * queued caller's offer is re-sent every `--poll` seconds (the contract: the same offer answers the
 * call's current instruction), so when Engage rings an agent for them (an agent became free) the
 * caller is put through; they hang up (abandoned) after `--abandon-after` seconds in the queue.
 * Requests are signed as the phone-system API asks (phone-system-auth.ts).
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { InboundCallEventAnswer, OfferInboundCallAnswer } from '@engage/contracts';
import { DEFAULT_DEMO_DONOR_COUNT } from '../demo/demo-seed';
import { DEMO_PHONE_SYSTEM_TOKEN_FILE, INBOUND_LINE } from '../demo/content';
import { buildDemoPlan } from '../demo/generate';
import { signPhoneSystemBody } from '../features/inbound/phone-system-auth';

/** One request to Engage: the path, the exact body bytes, the headers. */
export type Transport = (
  path: string,
  body: string,
  headers: Record<string, string>,
) => Promise<{ status: number; json: unknown }>;

export function fetchTransport(baseUrl: string): Transport {
  return async (path, body, headers) => {
    const res = await fetch(new URL(path, baseUrl), { method: 'POST', body, headers });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as unknown) : null };
  };
}

export interface SimulationOptions {
  token: string;
  /** The dialled number: an inbound line's. */
  to: string;
  calls: number;
  /** Between two callers. */
  everyMs: number;
  /** A queued caller hangs up after this long. */
  abandonAfterMs: number;
  /** While queued, the offer is re-sent this often to learn when an agent is rung (default 3 s). */
  pollMs?: number;
  /** Callers' numbers, used in turn; every `unknownEvery`-th caller rings from a number nobody has. */
  numbers: readonly string[];
  unknownEvery?: number;
  /** Multiplies the ring time Engage asks for (tests: 0). */
  ringScale?: number;
  transport: Transport;
  log: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
  /** Unix seconds for the signature (the phone system's clock). */
  nowSeconds?: () => number;
}

export interface SimulatedCall {
  callId: string;
  from: string;
  offer: OfferInboundCallAnswer | null;
  /** How it ended for the caller: answered, abandoned, closed, overflow, or error. */
  outcome: 'answered' | 'abandoned' | 'closed' | 'overflow' | 'error';
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs the simulation: `calls` callers, one every `everyMs`, each followed to its end. */
export async function simulateInbound(o: SimulationOptions): Promise<SimulatedCall[]> {
  const sleep = o.sleep ?? realSleep;
  const nowSeconds = o.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  const unknownEvery = o.unknownEvery ?? 4;

  async function post(path: string, payload: object): Promise<{ status: number; json: unknown }> {
    const body = JSON.stringify(payload);
    const t = nowSeconds();
    return o.transport(path, body, {
      'content-type': 'application/json',
      authorization: `Bearer ${o.token}`,
      'x-engage-signature': `t=${t},v1=${signPhoneSystemBody(o.token, t, body)}`,
    });
  }

  function fromFor(i: number): string {
    if ((i + 1) % (unknownEvery * 3) === 0) return 'anonymous';
    if ((i + 1) % unknownEvery === 0 || o.numbers.length === 0) {
      // UK mobile numbers in a valid range that no demo donor has (07400 000xxx).
      return `+447400000${String(100 + (i % 900))}`;
    }
    return o.numbers[i % o.numbers.length]!;
  }

  async function event(
    callId: string,
    type: 'ringing' | 'no_answer' | 'abandoned',
    agentId?: number,
  ): Promise<{ status: number; json: unknown }> {
    const res = await post('/api/phone-system/calls/events', { callId, type, ...(agentId ? { agentId } : {}) });
    o.log(`  ${callId} ${type}${agentId ? ` (agent ${agentId})` : ''} -> ${res.status} ${JSON.stringify(res.json)}`);
    return res;
  }

  /** Re-sends the offer every pollMs until it answers something other than queue, or the caller gives up (null). */
  async function pollWhileQueued(
    callId: string,
    from: string,
    queuedUntil: number,
  ): Promise<OfferInboundCallAnswer | null> {
    for (;;) {
      const left = queuedUntil - Date.now();
      if (left <= 0) return null;
      await sleep(Math.min(o.pollMs ?? 3000, left));
      const res = await post('/api/phone-system/calls', { callId, from, to: o.to });
      if (res.status !== 200) return null;
      const now = res.json as OfferInboundCallAnswer;
      if (now.action !== 'queue') {
        o.log(`  ${callId} polled -> ${JSON.stringify(now)}`);
        return now;
      }
    }
  }

  async function follow(callId: string, from: string): Promise<SimulatedCall> {
    const res = await post('/api/phone-system/calls', { callId, from, to: o.to });
    o.log(`${callId} from ${from || '(withheld)'} -> ${res.status} ${JSON.stringify(res.json)}`);
    if (res.status !== 200) return { callId, from, offer: null, outcome: 'error' };
    const offer = res.json as OfferInboundCallAnswer;
    let instruction: OfferInboundCallAnswer | null = offer;
    const queuedUntil = Date.now() + o.abandonAfterMs;
    for (;;) {
      if (instruction === null) return { callId, from, offer, outcome: 'error' };
      switch (instruction.action) {
        case 'closed':
        case 'overflow':
          o.log(`  ${callId} ${instruction.action}: the caller hears ${instruction.then}`);
          return { callId, from, offer, outcome: instruction.action };
        case 'ring': {
          await event(callId, 'ringing', instruction.agentId);
          await sleep(instruction.ringSeconds * 1000 * (o.ringScale ?? 1));
          const r = await event(callId, 'no_answer', instruction.agentId);
          if (r.status !== 200) return { callId, from, offer, outcome: 'error' };
          const answer = r.json as InboundCallEventAnswer;
          if (answer.status === 'answered' || answer.status === 'ended') {
            o.log(`  ${callId} answered: the agent talks to the caller and ends the call in Engage`);
            return { callId, from, offer, outcome: 'answered' };
          }
          instruction = answer.next ?? { inboundCallId: answer.inboundCallId, action: 'queue', position: 0 };
          break;
        }
        case 'queue': {
          // Polls the offer while the caller waits: Engage answers ring once an agent is rung for them.
          const rung = await pollWhileQueued(callId, from, queuedUntil);
          if (rung) {
            instruction = rung;
            break;
          }
          const r = await event(callId, 'abandoned');
          if (r.status === 409) {
            o.log(`  ${callId} was answered before the caller gave up`);
            return { callId, from, offer, outcome: 'answered' };
          }
          return { callId, from, offer, outcome: 'abandoned' };
        }
      }
    }
  }

  const running: Promise<SimulatedCall>[] = [];
  for (let i = 0; i < o.calls; i++) {
    if (i > 0) await sleep(o.everyMs);
    running.push(follow(`sim-${randomUUID()}`, fromFor(i)));
  }
  return Promise.all(running);
}

/** The demo donors' phone numbers (the demo is deterministic: these are the seeded ones). */
export function demoDonorNumbers(limit = 200): string[] {
  const plan = buildDemoPlan(new Date(), DEFAULT_DEMO_DONOR_COUNT);
  return plan.donors
    .map((d) => d.donor.phone)
    .filter((p): p is string => typeof p === 'string')
    .slice(0, limit);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:3000' },
      token: { type: 'string' },
      to: { type: 'string', default: INBOUND_LINE.number },
      calls: { type: 'string', default: '5' },
      every: { type: 'string', default: '20' },
      'abandon-after': { type: 'string', default: '90' },
      poll: { type: 'string', default: '3' },
      /** The app's DATA_DIR, where the first demo start wrote the demo phone system's token. */
      'data-dir': { type: 'string', default: 'data' },
    },
  });
  const int = (name: string, v: string | undefined, min: number): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number of at least ${min}`);
    return n;
  };
  let token = values.token;
  if (!token) {
    const file = resolve(values['data-dir'], DEMO_PHONE_SYSTEM_TOKEN_FILE);
    try {
      token = (await readFile(file, 'utf8')).trim();
    } catch {
      throw new Error(
        `No --token given and no ${file}: start the app with demo data once (npm start, from an empty data directory; pass --data-dir when DATA_DIR is not ./data), or create a phone-system token (createPhoneSystemToken) and pass --token.`,
      );
    }
  }
  const calls = int('calls', values.calls, 1);
  console.log(`Ringing ${values.to} at ${values.url}: ${calls} calls, one every ${values.every} s.`);
  const results = await simulateInbound({
    token,
    to: values.to,
    calls,
    everyMs: int('every', values.every, 0) * 1000,
    abandonAfterMs: int('abandon-after', values['abandon-after'], 1) * 1000,
    pollMs: int('poll', values.poll, 1) * 1000,
    numbers: demoDonorNumbers(),
    transport: fetchTransport(values.url),
    log: (line) => console.log(line),
  });
  const by = (k: SimulatedCall['outcome']) => results.filter((r) => r.outcome === k).length;
  console.log(
    `Done: ${by('answered')} answered, ${by('abandoned')} abandoned, ${by('closed')} closed, ${by('overflow')} overflow, ${by('error')} refused.`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
