// Inbound calls over SIP: Kamailio (telephony/kamailio.cfg with WITH_ENGAGE) as Engage's phone
// system. The carrier (SIPp) calls a line's number; Kamailio asks Engage which agent to ring
// (offerInboundCall), rings that agent's phone (SIPp agents over UDP) and reports what happened
// (inboundCallEvent), following the `next` instruction each event answer gives.
// "Engage" here is a small Fastify app with the server's own phone-system authentication
// (keepRawJsonBodies + phoneSystemAuth: the token and the body's HMAC signature) and the API's own
// zod contracts for the bodies and answers, scripted per dialled number; the real app end to end
// is the softphone project's test (apps/web/e2e/softphone.softphone.test.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  inboundCallEventAnswerSchema,
  inboundCallEventBodySchema,
  offerInboundCallAnswerSchema,
  offerInboundCallBodySchema,
  type InboundCallEventBody,
  type OfferInboundCallAnswer,
  type OfferInboundCallBody,
} from '@engage/contracts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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
import { keepRawJsonBodies, phoneSystemAuth } from '../../src/features/inbound/phone-system-auth';
import { AppError } from '../../src/lib/errors';

const missing = missingPackages();
const SECRET = 'engage-test-secret';
const TOKEN = 'eps_test_kamailio_phone_system_token';

/** What the fake Engage answers for one dialled number: the offer, and the `next` after an event. */
interface Plan {
  offer: OfferInboundCallAnswer;
  next(event: InboundCallEventBody): OfferInboundCallAnswer | null;
}

let stack: TelephonyStack;
let engage: FastifyInstance;
let runDir: string;
let seq = 0;
const plans = new Map<string, Plan>();
/** Every request Kamailio made, in order: the path, the parsed body, and the Call-ID's dialled number. */
let requests: Array<{ path: string; to: string; body: OfferInboundCallBody | InboundCallEventBody }> = [];
const dialled = new Map<string, string>();
let refusals: string[] = [];
let tokenKnown = true;

function startEngage(): FastifyInstance {
  const app = Fastify();
  keepRawJsonBodies(app);
  const authenticate = phoneSystemAuth({
    findPhoneSystem: async (token) =>
      tokenKnown && token === TOKEN
        ? { ok: true, phoneSystem: { tokenId: 1, name: 'Kamailio' } }
        : { ok: false, revokedAt: null },
    now: () => new Date(),
  });
  app.setErrorHandler((err, _req, reply) => {
    const message = err instanceof Error ? err.message : String(err);
    refusals.push(message);
    void reply.code(err instanceof AppError ? err.status : 500).send({ message });
  });
  app.post('/api/phone-system/calls', { preValidation: authenticate }, async (req) => {
    const body = offerInboundCallBodySchema.parse(req.body);
    dialled.set(body.callId, body.to);
    requests.push({ path: 'offer', to: body.to, body });
    const plan = plans.get(body.to);
    if (!plan) throw new AppError('not_found', `No line has the number ${body.to}.`);
    return offerInboundCallAnswerSchema.parse(plan.offer);
  });
  app.post('/api/phone-system/calls/events', { preValidation: authenticate }, async (req) => {
    const body = inboundCallEventBodySchema.parse(req.body);
    const to = dialled.get(body.callId) ?? '?';
    requests.push({ path: 'event', to, body });
    const plan = plans.get(to)!;
    return inboundCallEventAnswerSchema.parse({
      inboundCallId: plan.offer.inboundCallId,
      status: 'queued',
      recorded: true,
      next: plan.next(body),
    });
  });
  return app;
}

const ring = (inboundCallId: number, agentId: number, ringSeconds = 10): OfferInboundCallAnswer => ({
  inboundCallId,
  action: 'ring',
  agentId,
  agentName: `Agent ${agentId}`,
  ringSeconds,
});
const queue = (inboundCallId: number): OfferInboundCallAnswer => ({ inboundCallId, action: 'queue', position: 1 });

/** The events Kamailio sent for calls to a number, as "type:agentId". */
function eventsFor(to: string): string[] {
  return requests
    .filter((r) => r.path === 'event' && r.to === to)
    .map((r) => {
      const e = r.body as InboundCallEventBody;
      return e.agentId === undefined ? e.type : `${e.type}:${e.agentId}`;
    });
}

function count(messages: string, line: RegExp): number {
  return messages.split('\n').filter((l) => line.test(l)).length;
}

function explain(r: SippResult) {
  return `exit ${r.code}\n${r.errors.slice(0, 2000)}\n${r.output.slice(-1000)}\nkamailio log: ${path.join(runDir, 'kamailio.log')}`;
}

function sipp(scenario: string, port: number, args: string[], target?: string) {
  return runSipp({
    scenario,
    target,
    args: ['-m', '1', '-p', String(port), ...args],
    runDir,
    name: `${++seq}-${scenario.replace('.xml', '')}`,
  });
}

/** An agent's phone registers as agent-<id> from a port, then plays `scenario` on that port. */
async function agentPhone(agentId: number, scenario: string, args: string[] = []) {
  const port = await freePort('udp');
  const user = `agent-${agentId}`;
  const creds = ephemeralCredentials(SECRET, user);
  const reg = await sipp(
    'register.xml',
    port,
    ['-s', user, '-au', creds.username, '-ap', creds.password],
    `127.0.0.1:${stack.settings.sipPort}`,
  ).done;
  expect(reg.code, explain(reg)).toBe(0);
  const phone = sipp(scenario, port, ['-mp', String(await freePort('udp')), ...args]);
  await new Promise((r) => setTimeout(r, 300));
  return phone;
}

/** The carrier calls a line's number on Kamailio's trunk socket. */
async function carrierCalls(number: string, scenario = 'trunk-call.xml', holdMs = 1500) {
  return sipp(
    scenario,
    await freePort('udp'),
    ['-s', number, '-mp', String(await freePort('udp')), '-d', String(holdMs)],
    `127.0.0.1:${stack.settings.trunkSocketPort}`,
  ).done;
}

describe.skipIf(missing.length > 0)('inbound calls over SIP: Kamailio asks Engage which agent to ring', () => {
  beforeAll(async () => {
    runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'engage-inbound-sip-'));
    engage = startEngage();
    await engage.listen({ port: 0, host: '127.0.0.1' });
    const address = engage.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const settings = await resolveSettings({ random: true });
    settings.ringTimeoutSeconds = 30;
    stack = await startStack({ runDir, settings, secret: SECRET, engage: { url, token: TOKEN } });
  });

  afterAll(async () => {
    await stack?.stop();
    await engage?.close();
    if (runDir) fs.rmSync(runDir, { recursive: true, force: true });
  });

  beforeEach(() => {
    requests = [];
    refusals = [];
    tokenKnown = true;
  });

  it('rings the agent Engage names (a phone not registered is a miss, and the next agent is rung), with the inbound call id on the INVITE; answered and the carrier’s BYE are reported, media relayed', async () => {
    const line = '+442079460991';
    plans.set(line, {
      offer: ring(7, 41, 10),
      next: (e) => (e.type === 'no_answer' && e.agentId === 41 ? ring(7, 42, 10) : null),
    });
    const before = rtpengineStats(stack.settings.cliPort).totalstatistics;
    const phone = await agentPhone(42, 'agent-answer.xml');
    const carrier = await carrierCalls(line, 'trunk-call.xml', 2000);
    const agent = await phone.done;
    expect(carrier.code, explain(carrier)).toBe(0);
    expect(agent.code, explain(agent)).toBe(0);

    // Every request was signed as the server checks it; the offer carried the carrier's numbers.
    expect(refusals).toEqual([]);
    const offer = requests[0]!;
    expect(offer.path).toBe('offer');
    expect(offer.body).toMatchObject({ from: '+15550100', to: line });
    expect(eventsFor(line)).toEqual(['no_answer:41', 'ringing:42', 'answered:42', 'ended:42']);
    // One header on the agent's INVITE, naming Engage's inbound call.
    expect(count(agent.messages, /^X-Engage-Inbound-Call-Id: 7\s*$/)).toBe(1);
    expect(count(agent.messages, /^X-Engage-Inbound-Call-Id:/)).toBe(1);

    const after = rtpengineStats(stack.settings.cliPort).totalstatistics;
    expect(after.relayedpackets! - before.relayedpackets!).toBeGreaterThan(50);
    expect(after.regularterminatedsessions! - before.regularterminatedsessions!).toBe(1);
    expect(rtpengineStats(stack.settings.cliPort).currentstatistics.sessionstotal).toBe(0);
  });

  it('reports a decline (603) and follows Engage to the next agent, who answers; a decline whose next is queue leaves the caller 480 and Engage abandoned', async () => {
    const line = '+442079460992';
    plans.set(line, {
      offer: ring(8, 43, 10),
      next: (e) => (e.type === 'declined' && e.agentId === 43 ? ring(8, 44, 10) : null),
    });
    const decliner = await agentPhone(43, 'agent-decline.xml');
    const answerer = await agentPhone(44, 'agent-answer.xml');
    const carrier = await carrierCalls(line, 'trunk-call.xml', 1000);
    const declined = await decliner.done;
    expect(declined.code, explain(declined)).toBe(0);
    const answered = await answerer.done;
    expect(carrier.code, explain(carrier)).toBe(0);
    expect(answered.code, explain(answered)).toBe(0);
    expect(count(answered.messages, /^X-Engage-Inbound-Call-Id: 8\s*$/)).toBe(1);
    expect(eventsFor(line)).toEqual(['ringing:43', 'declined:43', 'ringing:44', 'answered:44', 'ended:44']);

    const busyLine = '+442079460993';
    plans.set(busyLine, { offer: ring(9, 45, 10), next: () => queue(9) });
    const busy = await agentPhone(45, 'agent-busy.xml');
    const refused = await carrierCalls(busyLine);
    expect((await busy.done).code).toBe(0);
    expect(count(refused.messages, /^SIP\/2\.0 480 No agent available/)).toBeGreaterThanOrEqual(1);
    expect(count(refused.messages, /^SIP\/2\.0 200/)).toBe(0);
    expect(eventsFor(busyLine)).toEqual(['ringing:45', 'declined:45', 'abandoned']);
    expect(rtpengineStats(stack.settings.cliPort).currentstatistics.sessionstotal).toBe(0);
  });

  it('lets an agent’s phone ring for the line’s ring time, then cancels it and reports no_answer; a carrier who hangs up while it rings is reported abandoned', async () => {
    const line = '+442079460994';
    plans.set(line, { offer: ring(10, 46, 2), next: () => null });
    const ringing = await agentPhone(46, 'agent-ring.xml');
    const startedAt = Date.now();
    const missed = await carrierCalls(line);
    const seconds = (Date.now() - startedAt) / 1000;
    const phone = await ringing.done;
    expect(phone.code, explain(phone)).toBe(0);
    expect(count(phone.messages, /^CANCEL sip:/)).toBe(1);
    expect(seconds).toBeGreaterThan(1.8);
    expect(seconds).toBeLessThan(6);
    expect(count(missed.messages, /^SIP\/2\.0 480 No agent available/)).toBeGreaterThanOrEqual(1);
    expect(eventsFor(line)).toEqual(['ringing:46', 'no_answer:46', 'abandoned']);

    const hangUpLine = '+442079460995';
    plans.set(hangUpLine, { offer: ring(11, 47, 10), next: () => null });
    const ringing2 = await agentPhone(47, 'agent-ring.xml');
    const gaveUp = await carrierCalls(hangUpLine, 'trunk-cancel.xml', 1000);
    expect(gaveUp.code, explain(gaveUp)).toBe(0);
    expect((await ringing2.done).code).toBe(0);
    expect(eventsFor(hangUpLine)).toEqual(['ringing:47', 'abandoned:47']);
    expect(rtpengineStats(stack.settings.cliPort).currentstatistics.sessionstotal).toBe(0);
  });

  it('answers the carrier 480 and reports abandoned when Engage says queue (no media server to hold the caller), and 503 when Engage refuses the phone system', async () => {
    const line = '+442079460996';
    plans.set(line, { offer: queue(12), next: () => null });
    const queued = await carrierCalls(line);
    expect(count(queued.messages, /^SIP\/2\.0 480 No agent available/)).toBeGreaterThanOrEqual(1);
    expect(eventsFor(line)).toEqual(['abandoned']);

    tokenKnown = false;
    const refused = await carrierCalls(line);
    expect(count(refused.messages, /^SIP\/2\.0 503 Engage unavailable/)).toBeGreaterThanOrEqual(1);
    expect(refusals[0]).toMatch(/token is not known/);
  });
});

if (missing.length > 0) {
  describe('inbound calls over SIP', () => {
    it.skip(`needs: sudo apt-get install -y ${missing.join(' ')}`, () => {});
  });
}
