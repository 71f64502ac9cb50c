import { count } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorResponseSchema } from '@engage/contracts';
import { apiUser, type ApiUser } from '../../../test/admin-factories';
import { createTestApp, testClock, type TestApp } from '../../../test/app';
import { createUser, uniqueSuffix } from '../../../test/factories';
import { inboundKit } from '../../../test/inbound-factories';
import { auditLog, inboundCallEvents, inboundCalls } from '../../db/schema';
import { signPhoneSystemBody } from './phone-system-auth';
import { PHONE_SYSTEM_BODY_LIMIT } from './inbound.routes';

// Tuesday 10 March 2026, 12:00 in London: the lines below are open (Mon-Fri 09:00-17:00).
const clock = testClock(new Date('2026-03-10T12:00:00Z'));
let t: TestApp;
let admin: ApiUser;
let token: string;
let tokenId: number;

beforeAll(async () => {
  t = await createTestApp({ now: clock.now });
  admin = await apiUser(t.app, t.database, 'admin');
  const res = await admin.post('/api/phone-system-tokens', { name: 'Test PBX' });
  token = res.body.token;
  tokenId = res.body.id;
});

const kit = inboundKit(() => ({ t, admin, token }), { clock, numberPrefix: '020 7946 1' });
const line = (over: Record<string, unknown> = {}) => kit.line(null, over);
const { history, callRow } = kit;

const callId = () => `pbx-${uniqueSuffix()}`;
const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);

/** Sends a phone-system request, signed with `token` unless told otherwise. */
async function send(
  path: '/api/phone-system/calls' | '/api/phone-system/calls/events',
  body: unknown,
  opts: { token?: string | null; key?: string; t?: number; signature?: string; payload?: string } = {},
): Promise<LightMyRequestResponse> {
  const payload = opts.payload ?? JSON.stringify(body);
  const bearer = opts.token === undefined ? token : opts.token;
  const ts = opts.t ?? nowSeconds();
  const signature =
    opts.signature ?? `t=${ts},v1=${signPhoneSystemBody(opts.key ?? bearer ?? 'x', ts, JSON.stringify(body))}`;
  return t.app.inject({
    method: 'POST',
    url: path,
    payload,
    headers: {
      'content-type': 'application/json',
      ...(bearer === null ? {} : { authorization: `Bearer ${bearer}` }),
      'x-engage-signature': signature,
    },
  });
}
const offer = (body: unknown, opts?: Parameters<typeof send>[2]) => send('/api/phone-system/calls', body, opts);
const event = (body: unknown, opts?: Parameters<typeof send>[2]) => send('/api/phone-system/calls/events', body, opts);

/** Rows the phone system's requests could write. */
async function written() {
  const db = t.database.db;
  const [calls] = await db.select({ n: count() }).from(inboundCalls);
  const [events] = await db.select({ n: count() }).from(inboundCallEvents);
  const [audits] = await db.select({ n: count() }).from(auditLog);
  return { calls: calls!.n, events: events!.n, audits: audits!.n };
}

function expect401(res: LightMyRequestResponse, message: RegExp): void {
  expect(res.statusCode, res.body).toBe(401);
  const body = errorResponseSchema.parse(res.json());
  expect(body.code).toBe('unauthenticated');
  expect(body.message).toMatch(message);
}

describe('the phone system is authenticated by its token and a signature of each body', () => {
  it('bad token, bad signature, stale timestamp, a replay outside the window, a revoked token: 401 and nothing written', async () => {
    const l = await line();
    const body = { callId: callId(), from: '+44 7700 900123', to: l.number };
    const before = await written();

    expect401(await offer(body, { token: null }), /Authorization: Bearer <token>/);
    expect401(await offer(body, { token: 'eps_not-a-real-token' }), /not known/);
    expect401(await offer(body, { signature: 'sha256=abc' }), /X-Engage-Signature: t=<unix seconds>,v1=/);
    expect401(await offer(body, { key: 'another-key' }), /does not match the body/);
    // Signed over one body, sent with another (the caller's number changed on the way).
    expect401(await offer(body, { payload: JSON.stringify({ ...body, from: '+44 7700 900999' }) }), /does not match/);
    expect401(await offer(body, { t: nowSeconds() - 301 }), /301 s from the server's clock \(at most 300 s\)/);
    expect401(await offer(body, { t: nowSeconds() + 400 }), /400 s from the server's clock/);
    // A malformed body is not even read before the phone system is known.
    expect401(await offer({ callId: 42 }, { token: null }), /Bearer/);
    expect(await written()).toEqual(before);

    // A captured request, replayed after the window: refused, nothing written.
    const ts = nowSeconds();
    const captured = { t: ts, signature: `t=${ts},v1=${signPhoneSystemBody(token, ts, JSON.stringify(body))}` };
    clock.advance(301_000);
    expect401(await offer(body, captured), /from the server's clock/);
    expect401(await event({ callId: body.callId, type: 'abandoned' }, { t: ts }), /from the server's clock/);
    expect(await written()).toEqual(before);

    // Within the window the same request is accepted once; replayed, it writes nothing more.
    const accepted = await offer(body);
    expect(accepted.statusCode, accepted.body).toBe(200);
    const after = await written();
    expect(after.calls).toBe(before.calls + 1);
    const replay = await offer(body);
    expect(replay.json()).toEqual(accepted.json());
    expect(await written()).toEqual(after);

    // A revoked token authenticates nothing.
    const other = await admin.post('/api/phone-system-tokens', { name: 'Old PBX' });
    expect((await admin.post(`/api/phone-system-tokens/${other.body.id}/revoke`)).status).toBe(200);
    const counted = await written();
    expect401(await offer({ ...body, callId: callId() }, { token: other.body.token }), /revoked/);
    expect401(await event({ callId: body.callId, type: 'abandoned' }, { token: other.body.token }), /revoked/);
    expect(await written()).toEqual(counted);
  });

  it('a signed but malformed body is refused by its schema (400), writing nothing', async () => {
    const before = await written();
    const res = await offer({ callId: '', from: 5, to: '' });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('validation_failed');
    const unknown = await event({ callId: callId(), type: 'teleported' });
    expect(unknown.statusCode).toBe(400);
    expect(await written()).toEqual(before);
  });
});

describe("the phone system's operations, walked with malformed requests", () => {
  it('unsigned: 401 whatever the body (over 16 KiB: 413 before it is read); signed: 400 in the error shape; never a 5xx, nothing written', async () => {
    const before = await written();
    const payloads = [
      '',
      'null',
      '[]',
      '"text"',
      '42',
      '{"a":',
      JSON.stringify({ callId: 'x'.repeat(10_000) }),
      JSON.stringify({ callId: 'x'.repeat(20_000) }),
    ];
    for (const path of ['/api/phone-system/calls', '/api/phone-system/calls/events'] as const) {
      for (const payload of payloads) {
        const unsigned = await t.app.inject({
          method: 'POST',
          url: path,
          payload,
          headers: { 'content-type': 'application/json' },
        });
        const tooLarge = payload.length > PHONE_SYSTEM_BODY_LIMIT;
        expect(unsigned.statusCode, `${path} ${payload.slice(0, 20)}`).toBe(tooLarge ? 413 : 401);
        const ts = nowSeconds();
        const signed = await t.app.inject({
          method: 'POST',
          url: path,
          payload,
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${token}`,
            'x-engage-signature': `t=${ts},v1=${signPhoneSystemBody(token, ts, payload)}`,
          },
        });
        expect(signed.statusCode, `${path} ${payload.slice(0, 20)}: ${signed.body}`).toBe(tooLarge ? 413 : 400);
        for (const res of [unsigned, signed]) {
          expect(errorResponseSchema.strict().parse(res.json()).requestId).toBe(res.headers['x-request-id']);
        }
      }
    }
    expect(await written()).toEqual(before);
  });
});

describe('offerInboundCall', () => {
  it("queues the caller with their place in the line's queue; the same call id again answers the same and writes nothing", async () => {
    const l = await line();
    const first = { callId: callId(), from: '07700 900123', to: l.number };
    const a = await offer(first);
    expect(a.statusCode, a.body).toBe(200);
    expect(a.json()).toEqual({ inboundCallId: expect.any(Number), action: 'queue', position: 1 });
    const row = await callRow(a.json().inboundCallId);
    // Not a valid number (a drama range): kept as sent, with no E.164 to match donors by.
    expect(row).toMatchObject({ status: 'queued', fromRaw: '07700 900123', fromE164: null, lineId: l.id });

    clock.advance(1000);
    const b = await offer({
      callId: callId(),
      from: '+44 20 7946 0018',
      to: l.number.replace(/^\+44(\d\d)(\d{4})/, '+44 ($1) $2-'),
    });
    expect(b.json()).toMatchObject({ action: 'queue', position: 2 });
    expect((await callRow(b.json().inboundCallId)).fromE164).toBe('+442079460018');

    const before = await written();
    const again = await offer(first);
    expect(again.json()).toEqual(a.json());
    expect(await written()).toEqual(before);
    expect(await history(a.json().inboundCallId)).toEqual([{ type: 'queued', agentId: null }]);

    const reused = await offer({ ...first, from: '+44 20 7946 0999' });
    expect(reused.statusCode).toBe(422);
    expect(reused.json()).toMatchObject({
      code: 'idempotency_key_reused',
      message: expect.stringMatching(/its own id/),
    });
    expect(await written()).toEqual(before);
  });

  it('a withheld number is recorded as sent, with no E.164; a national caller number in the line country is matched', async () => {
    const l = await line();
    for (const from of ['anonymous', '']) {
      const res = await offer({ callId: callId(), from, to: l.number });
      expect(res.statusCode).toBe(200);
      expect(await callRow(res.json().inboundCallId)).toMatchObject({ fromRaw: from, fromE164: null });
    }
    const national = await offer({ callId: callId(), from: '020 7946 0018', to: l.number });
    expect((await callRow(national.json().inboundCallId)).fromE164).toBe('+442079460018');
  });

  it('the same offer sent at once several times makes one call and one answer', async () => {
    const l = await line();
    const body = { callId: callId(), from: '+44 20 7946 0018', to: l.number };
    const before = await written();
    const answers = await Promise.all(Array.from({ length: 6 }, () => offer(body)));
    expect(new Set(answers.map((r) => r.statusCode))).toEqual(new Set([200]));
    expect(new Set(answers.map((r) => r.body)).size).toBe(1);
    expect(await written()).toEqual({ ...before, calls: before.calls + 1, events: before.events + 1 });
  });

  it('a number no line has: 404 naming the fix, nothing written', async () => {
    const before = await written();
    const res = await offer({ callId: callId(), from: '', to: '+44 20 7946 0999' });
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toMatch(/Add it under Inbound lines/);
    expect((await offer({ callId: callId(), from: '', to: 'reception' })).statusCode).toBe(404);
    expect(await written()).toEqual(before);
  });

  it("outside the line's opening hours, in its time zone, and on its closed dates: closed, then the line's closed action", async () => {
    const l = await line({
      timeZone: 'America/New_York',
      weekdayHours: [...Array.from({ length: 5 }, () => ({ start: '09:00', end: '17:00' })), null, null],
      closedDates: ['2026-03-11'],
      closedAction: 'callback',
    });
    // 12:00 UTC is 08:00 in New York (daylight saving from 8 March): not open yet.
    // (The caller's number is withheld: nobody can call them back, so the callback line answers voicemail.)
    const early = await offer({ callId: callId(), from: '', to: l.number });
    expect(early.json()).toEqual({ inboundCallId: expect.any(Number), action: 'closed', then: 'voicemail' });
    expect(await callRow(early.json().inboundCallId)).toMatchObject({ status: 'closed' });
    expect(await history(early.json().inboundCallId)).toEqual([{ type: 'closed', agentId: null }]);

    clock.set(new Date('2026-03-10T14:00:00Z')); // 10:00 in New York, a Tuesday
    expect((await offer({ callId: callId(), from: '', to: l.number })).json()).toMatchObject({ action: 'queue' });
    clock.set(new Date('2026-03-11T14:00:00Z')); // Wednesday 11 March: a closed date
    expect((await offer({ callId: callId(), from: '', to: l.number })).json()).toMatchObject({ action: 'closed' });
    clock.set(new Date('2026-03-14T14:00:00Z')); // Saturday: no hours
    expect((await offer({ callId: callId(), from: '', to: l.number })).json()).toMatchObject({ action: 'closed' });
    clock.set(new Date('2026-03-10T12:00:00Z'));
  });

  it('the same call id from two phone systems is two calls', async () => {
    const l = await line();
    const other = (await admin.post('/api/phone-system-tokens', { name: 'Branch PBX' })).body.token as string;
    const body = { callId: callId(), from: '', to: l.number };
    const a = await offer(body);
    const b = await offer(body, { token: other });
    expect(b.statusCode).toBe(200);
    expect(b.json().inboundCallId).not.toBe(a.json().inboundCallId);
    expect((await callRow(a.json().inboundCallId)).phoneSystemTokenId).toBe(tokenId);
  });
});

describe('inboundCallEvent', () => {
  it('records each event once and moves the status: ringing, no answer back to the queue, answered, ended', async () => {
    const l = await line();
    const agentA = await createUser(t.database.db, {});
    const agentB = await createUser(t.database.db, {});
    const agentC = await createUser(t.database.db, {});
    const id = callId();
    const inboundCallId = (await offer({ callId: id, from: '', to: l.number })).json().inboundCallId as number;

    const ring = await event({ callId: id, type: 'ringing', agentId: agentA.id });
    expect(ring.json()).toEqual({ inboundCallId, status: 'ringing', recorded: true, next: null });
    const before = await written();
    expect((await event({ callId: id, type: 'ringing', agentId: agentA.id })).json()).toMatchObject({
      status: 'ringing',
      recorded: false,
    });
    expect(await written()).toEqual(before);

    const missed = await event({ callId: id, type: 'no_answer', agentId: agentA.id });
    expect(missed.json()).toEqual({
      inboundCallId,
      status: 'queued',
      recorded: true,
      next: { inboundCallId, action: 'queue', position: 1 },
    });
    expect((await event({ callId: id, type: 'no_answer', agentId: agentA.id })).json().recorded).toBe(false);

    await event({ callId: id, type: 'ringing', agentId: agentB.id });
    const declined = await event({ callId: id, type: 'declined' });
    expect(declined.json()).toMatchObject({ status: 'queued', recorded: true });
    // A's no_answer is already in the history: a ringing for A again is late, and records nothing.
    expect((await event({ callId: id, type: 'ringing', agentId: agentA.id })).json()).toMatchObject({
      status: 'queued',
      recorded: false,
    });
    await event({ callId: id, type: 'ringing', agentId: agentC.id });
    // C has no shift: the answer is recorded (the caller is with C), and the 409 says no call was started.
    const answered = await event({ callId: id, type: 'answered', agentId: agentC.id });
    expect(answered.statusCode).toBe(409);
    expect(answered.json().message).toMatch(/Recorded that agent .* answered .* not signed into a shift/);
    expect((await event({ callId: id, type: 'answered', agentId: agentC.id })).json()).toMatchObject({
      status: 'answered',
      recorded: false,
    });
    const stolen = await event({ callId: id, type: 'answered', agentId: agentB.id });
    expect(stolen.statusCode).toBe(409);
    expect(stolen.json().message).toMatch(/already answered by another agent/);

    clock.advance(90_000);
    expect((await event({ callId: id, type: 'ended' })).json()).toMatchObject({ status: 'ended', recorded: true });
    expect((await event({ callId: id, type: 'ended' })).json()).toMatchObject({ status: 'ended', recorded: false });

    expect(await history(inboundCallId)).toEqual([
      { type: 'queued', agentId: null },
      { type: 'ringing', agentId: agentA.id },
      { type: 'no_answer', agentId: agentA.id },
      { type: 'ringing', agentId: agentB.id },
      // The phone system rang B itself and declined without naming B: recorded, nobody charged.
      { type: 'declined', agentId: null },
      { type: 'ringing', agentId: agentC.id },
      { type: 'answered', agentId: agentC.id },
      { type: 'ended', agentId: agentC.id },
    ]);
    const row = await callRow(inboundCallId);
    expect(row).toMatchObject({ status: 'ended', answeredBy: agentC.id, ringingAgentId: null });
    expect(row.endedAt!.getTime() - row.answeredAt!.getTime()).toBe(90_000);
  });

  it('an abandoned call is never rung again, leaves the queue, and abandoned twice records it once', async () => {
    const l = await line();
    const agent = await createUser(t.database.db, {});
    const first = callId();
    const second = callId();
    const firstId = (await offer({ callId: first, from: '', to: l.number })).json().inboundCallId as number;
    clock.advance(1000);
    const secondAnswer = await offer({ callId: second, from: '', to: l.number });
    expect(secondAnswer.json()).toMatchObject({ position: 2 });

    clock.advance(30_000);
    const gone = await event({ callId: first, type: 'abandoned' });
    expect(gone.json()).toEqual({ inboundCallId: firstId, status: 'abandoned', recorded: true, next: null });
    const before = await written();
    expect((await event({ callId: first, type: 'abandoned' })).json()).toMatchObject({ recorded: false });
    const rung = await event({ callId: first, type: 'ringing', agentId: agent.id });
    expect(rung.statusCode).toBe(409);
    expect(rung.json().message).toMatch(/abandoned .* not rung again/);
    expect((await event({ callId: first, type: 'answered', agentId: agent.id })).statusCode).toBe(409);
    expect(await written()).toEqual(before);

    const row = await callRow(firstId);
    expect(row).toMatchObject({ status: 'abandoned', ringingAgentId: null });
    expect(row.abandonedAt!.getTime() - row.arrivedAt.getTime()).toBe(31_000);
    // The caller behind moved up: a no-answer now tells them they are first.
    await event({ callId: second, type: 'ringing', agentId: agent.id });
    expect((await event({ callId: second, type: 'no_answer' })).json().next).toMatchObject({ position: 1 });
    expect(await history(firstId)).toEqual([
      { type: 'queued', agentId: null },
      { type: 'abandoned', agentId: null },
    ]);
  });

  it('an event for a call never offered, or naming an unknown agent: 404, nothing written', async () => {
    const l = await line();
    const id = callId();
    await offer({ callId: id, from: '', to: l.number });
    const before = await written();
    const unknown = await event({ callId: callId(), type: 'ended' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toMatch(/Send offerInboundCall first/);
    expect((await event({ callId: id, type: 'ringing', agentId: 999999 })).statusCode).toBe(404);
    expect((await event({ callId: id, type: 'ringing' })).statusCode).toBe(409);
    expect(await written()).toEqual(before);
  });
});
