import { asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { signedIn, type Agent } from '../../../test/agent';
import { apiUser, type ApiUser } from '../../../test/admin-factories';
import { createTestApp, testClock, type TestApp } from '../../../test/app';
import { createDonors, createSettings, createTeam } from '../../../test/dialer-factories';
import { uniqueSuffix } from '../../../test/factories';
import { inboundKit, signedPhoneSystemRequest } from '../../../test/inbound-factories';
import { inboundCallEvents, inboundCalls, jobRoles, shifts, teamMembers } from '../../db/schema';
import { callerE164, matchCaller } from './caller-match';
import { queueByLine } from './inbound-desk.repository';

// Tuesday 10 March 2026, 12:00 in London: lines are open (Mon-Fri 09:00-17:00).
const clock = testClock(new Date('2026-03-10T12:00:00Z'));
let t: TestApp;
let admin: ApiUser;
let jobRoleId: number;
let finalReasonId: number;

beforeAll(async () => {
  t = await createTestApp({ now: clock.now });
  admin = await apiUser(t.app, t.database, 'admin');
  const settings = await createSettings(t.database.db);
  jobRoleId = settings.jobRoleId;
  finalReasonId = settings.end.final;
});

const kit = inboundKit(() => ({ t, admin }), { clock, numberPrefix: '020 7946 2' });
const line = (teamIds: number[], over: Record<string, unknown> = {}) => kit.line(teamIds, over);

/** A valid UK mobile number (07400 120500-120999; the 07700 900 drama range is not valid to libphonenumber), unique in this file. */
let n = 500;
const mobile = () => `+447400120${n++}`;

describe('matchCaller: the caller number, in any format, matched to donors main and other phones', () => {
  it('reads international, 00-prefixed, national (in the line country) and odd formats alike', async () => {
    const e164 = mobile();
    const [donor] = await createDonors(t.database.db, [{ phone: e164 }]);
    const national = `0${e164.slice(3, 7)} ${e164.slice(7)}`; // 07700 9xxxxx
    const forms = [
      e164,
      `+44 ${e164.slice(3, 7)} ${e164.slice(7, 10)} ${e164.slice(10)}`,
      `0044${e164.slice(3)}`,
      `00 44 ${e164.slice(3)}`,
      national,
      `(0${e164.slice(3, 7)})-${e164.slice(7, 10)}-${e164.slice(10)}`,
      ` ${national} `,
    ];
    for (const from of forms) {
      const m = await matchCaller(t.database.db, from, { country: 'GB' });
      expect(m, from).toMatchObject({ from, fromE164: e164, withheld: false, more: false });
      expect(
        m.donors.map((d) => d.id),
        from,
      ).toEqual([donor!.id]);
    }
    // A national number without a country to read it in matches nobody (and is not "withheld").
    expect(await matchCaller(t.database.db, national, { country: null })).toMatchObject({
      fromE164: null,
      withheld: false,
      donors: [],
    });
  });

  it("matches the donor's other phone too, and lists several donors sharing a number by name", async () => {
    const shared = mobile();
    const [a, b, c] = await createDonors(t.database.db, [
      { phone: shared, firstName: 'Zoe' },
      { phone: mobile(), firstName: 'Adam' },
      { phone: mobile(), firstName: 'Other' },
    ]);
    await t.database.pool.query('UPDATE donors SET alt_phone = $1 WHERE id = $2', [shared, b!.id]);
    const m = await matchCaller(t.database.db, shared);
    expect(m.donors.map((d) => d.id)).toEqual([b!.id, a!.id]); // Adam before Zoe (same family name)
    expect(m.donors.map((d) => d.id)).not.toContain(c!.id);
    expect(m.donors[0]).toMatchObject({ name: expect.stringContaining('Adam'), reference: b!.reference });
    expect(m.more).toBe(false);
    // At most `limit`, and says there are more.
    expect(await matchCaller(t.database.db, shared, { limit: 1 })).toMatchObject({
      more: true,
      donors: [{ id: b!.id }],
    });
  });

  it('a new caller matches nobody; withheld numbers ("anonymous", empty, "unknown") are flagged', async () => {
    expect(await matchCaller(t.database.db, mobile())).toMatchObject({ withheld: false, donors: [], more: false });
    for (const from of ['anonymous', '', '  ', 'Unknown', 'WITHHELD', 'private']) {
      expect(await matchCaller(t.database.db, from, { country: 'GB' }), from).toEqual({
        from,
        fromE164: null,
        withheld: true,
        donors: [],
        more: false,
      });
    }
    // Not a number at all, but digits: not withheld, and nobody matched.
    expect(callerE164('12', 'GB')).toEqual({ fromE164: null, withheld: false });
  });
});

/** An agent with an open shift under a job role, in these teams. */
async function agentIn(teamIds: number[], opts: { shift?: boolean; state?: 'ready' | 'on_call' } = {}) {
  const agent = await signedIn(t.app, t.database);
  if (teamIds.length)
    await t.database.db.insert(teamMembers).values(teamIds.map((teamId) => ({ teamId, userId: agent.user.id })));
  if (opts.shift !== false) {
    const res = await agent.openShift(jobRoleId);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    if (opts.state) {
      await t.database.db.update(shifts).set({ state: opts.state }).where(eq(shifts.agentId, agent.user.id));
    }
  }
  return agent;
}

const logCall = (agent: Agent, body: object) => agent.call('POST', '/api/inbound/calls/log', body);

describe('logInboundCall: an agent picks up a desk phone', () => {
  it('matches the caller, records the call answered by the agent on their line, with its history', async () => {
    const team = await createTeam(t.database.db, []);
    const l = await line([team.id]);
    const agent = await agentIn([team.id]);
    const e164 = mobile();
    const [donor] = await createDonors(t.database.db, [{ phone: e164 }]);

    const res = await logCall(agent, { from: `0${e164.slice(3)}` }); // national, read in the line's country
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      lineId: l.id,
      lineName: l.name,
      from: `0${e164.slice(3)}`,
      fromE164: e164,
      withheld: false,
      donors: [{ id: donor!.id }],
      more: false,
      // The agent's shift is on the call, linked to the one donor with the number.
      call: { direction: 'inbound', donorId: donor!.id, campaignId: expect.any(Number), phoneDialled: e164 },
    });
    expect((await agent.shift()).body).toMatchObject({ state: 'on_call', call: { id: res.body.call.id } });
    const [row] = await t.database.db.select().from(inboundCalls).where(eq(inboundCalls.id, res.body.inboundCallId));
    expect(row).toMatchObject({
      source: 'manual',
      lineId: l.id,
      status: 'answered',
      answeredBy: agent.user.id,
      fromE164: e164,
      callId: res.body.call.id,
      phoneSystemTokenId: null,
      externalId: null,
    });
    expect(row!.answeredAt?.toISOString()).toBe(clock.now().toISOString());
    const events = await t.database.db
      .select({ type: inboundCallEvents.type, agentId: inboundCallEvents.agentId })
      .from(inboundCallEvents)
      .where(eq(inboundCallEvents.inboundCallId, row!.id))
      .orderBy(asc(inboundCallEvents.id));
    expect(events).toEqual([{ type: 'answered', agentId: agent.user.id }]);

    // While on that call another is refused, naming the fix, and nothing is written.
    const busy = await logCall(agent, { lineId: l.id, from: 'anonymous' });
    expect(busy.status).toBe(409);
    expect(busy.body).toMatchObject({ code: 'call_open', message: expect.stringMatching(/End Call/) });
    expect((await agent.end(res.body.call.id, { endReasonId: finalReasonId })).status).toBe(200);

    // A withheld caller: recorded too, nobody matched, the call open without a donor.
    const anon = await logCall(agent, { lineId: l.id, from: 'anonymous' });
    expect(anon.status).toBe(201);
    expect(anon.body).toMatchObject({ withheld: true, donors: [], fromE164: null, call: { donorId: null } });
  });

  it('refuses an agent without a shift, a line their teams do not answer, and asks for the line when they have several', async () => {
    const team = await createTeam(t.database.db, []);
    const other = await createTeam(t.database.db, []);
    const l1 = await line([team.id]);
    const foreign = await line([other.id]);

    const off = await agentIn([team.id], { shift: false });
    const before = await t.database.pool.query('SELECT count(*)::int AS n FROM inbound_calls');
    const noShift = await logCall(off, { from: mobile() });
    expect(noShift.status).toBe(409);
    expect(noShift.body).toMatchObject({ code: 'no_open_shift', message: expect.stringMatching(/Sign In first/) });

    const agent = await agentIn([team.id]);
    const notMine = await logCall(agent, { lineId: foreign.id, from: mobile() });
    expect(notMine.status).toBe(404);
    expect(notMine.body.message).toMatch(/ask your manager to add your team/);

    const l2 = await line([team.id]);
    // The agent's lines, to choose from: those of their teams only.
    const mine = await agent.call('GET', '/api/me/inbound-lines');
    expect(mine.status).toBe(200);
    expect(mine.body.lines.map((x: { id: number }) => x.id).sort()).toEqual([l1.id, l2.id].sort());
    expect(mine.body.lines[0]).toEqual({
      id: expect.any(Number),
      name: expect.any(String),
      number: expect.stringMatching(/^\+44/),
    });
    const which = await logCall(agent, { from: mobile() });
    expect(which.status).toBe(400);
    expect(which.body.message).toMatch(/answer 2 inbound lines: choose the one the caller rang \(lineId\)/);
    const after = await t.database.pool.query('SELECT count(*)::int AS n FROM inbound_calls');
    expect(after.rows[0].n).toBe(before.rows[0].n);

    const on2 = await logCall(agent, { lineId: l2.id, from: mobile() });
    expect(on2.body.lineId).toBe(l2.id);
    // The agent is on that call now: End Call before the next one (logInboundCall starts the call).
    expect((await agent.end(on2.body.call.id, { endReasonId: finalReasonId })).status).toBe(200);
    expect((await logCall(agent, { lineId: l1.id, from: mobile() })).body.lineId).toBe(l1.id);

    const lonely = await agentIn([]);
    const none = await logCall(lonely, { from: mobile() });
    expect(none.status).toBe(400);
    expect(none.body.message).toMatch(/No inbound line is answered by your teams/);
  });
});

describe("the caller of an agent's open inbound call: matches, search, link, new donor", () => {
  const donorsOf = (agent: Agent, callId: number, q?: string) =>
    agent.call('GET', `/api/inbound/on-call/${callId}/donors${q === undefined ? '' : `?q=${encodeURIComponent(q)}`}`);
  const linkTo = (agent: Agent, callId: number, donorId: number) =>
    agent.call('PUT', `/api/inbound/on-call/${callId}/donor`, { donorId });
  const create = (agent: Agent, callId: number, body: object) =>
    agent.call('POST', `/api/inbound/on-call/${callId}/donor`, body);

  it('several donors share the number: the agent lists them, searches, links one; only theirs, only while open', async () => {
    const team = await createTeam(t.database.db, []);
    await line([team.id]);
    const agent = await agentIn([team.id]);
    const shared = mobile();
    const [a, b] = await createDonors(t.database.db, [
      { phone: shared, firstName: 'Alma' },
      { phone: shared, firstName: 'Bruno' },
    ]);
    const logged = await logCall(agent, { from: shared });
    expect(logged.status, JSON.stringify(logged.body)).toBe(201);
    const callId: number = logged.body.call.id;
    expect(logged.body.call.donorId).toBeNull(); // two matches: the agent chooses
    expect(logged.body.donors.map((d: { id: number }) => d.id).sort()).toEqual([a!.id, b!.id].sort());

    const matched = await donorsOf(agent, callId);
    expect(matched.status).toBe(200);
    expect(matched.body.donors.map((d: { id: number }) => d.id)).toEqual([a!.id, b!.id]); // by name
    const searched = await donorsOf(agent, callId, b!.reference);
    expect(searched.body.donors[0]).toMatchObject({ id: b!.id, reference: b!.reference });

    // Another agent: as if the call did not exist; nothing changes.
    const other = await agentIn([team.id]);
    expect((await donorsOf(other, callId)).status).toBe(404);
    const stolen = await linkTo(other, callId, a!.id);
    expect(stolen.status).toBe(404);
    expect(stolen.body.code).toBe('call_not_found');
    const nobody = await linkTo(agent, callId, 2_000_000_000);
    expect(nobody.status).toBe(404);
    expect(nobody.body.message).toMatch(/Search for the caller again/);

    const linked = await linkTo(agent, callId, b!.id);
    expect(linked.status, JSON.stringify(linked.body)).toBe(200);
    expect(linked.body.call).toMatchObject({ id: callId, donorId: b!.id, donorReference: b!.reference });
    expect((await agent.shift()).body.call).toMatchObject({ id: callId, donorId: b!.id });
    const rows = await t.database.pool.query(
      `SELECT c.donor_id, a.actor_id, a.before, a.after FROM calls c
         JOIN audit_log a ON a.entity_type = 'call' AND a.entity_id = c.id AND a.action = 'link_donor'
        WHERE c.id = $1`,
      [callId],
    );
    expect(rows.rows).toEqual([
      { donor_id: b!.id, actor_id: agent.user.id, before: { donor_id: null }, after: { donor_id: b!.id } },
    ]);
    // The donor's profile is open to the agent on the call with them.
    expect((await agent.call('GET', `/api/donors/${b!.id}`)).status).toBe(200);
    // Linked to the wrong one: the agent links the other (audited from b to a).
    const relinked = await linkTo(agent, callId, a!.id);
    expect(relinked.status).toBe(200);
    expect(relinked.body.call.donorId).toBe(a!.id);
    const moved = await t.database.pool.query<{ before: { donor_id: number | null }; after: { donor_id: number } }>(
      `SELECT before, after FROM audit_log WHERE entity_type = 'call' AND entity_id = $1 AND action = 'link_donor' ORDER BY id`,
      [callId],
    );
    expect(moved.rows.map((r): (number | null)[] => [r.before.donor_id, r.after.donor_id])).toEqual([
      [null, b!.id],
      [b!.id, a!.id],
    ]);

    // Ended: no more linking, and the message names what to do.
    expect((await agent.end(callId, { endReasonId: finalReasonId })).status).toBe(200);
    const late = await linkTo(agent, callId, b!.id);
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ code: 'call_already_ended', message: expect.stringMatching(/Ask your manager/) });
    const [after] = (await t.database.pool.query('SELECT donor_id FROM calls WHERE id = $1', [callId])).rows;
    expect(after.donor_id).toBe(a!.id);
  });

  it('a new caller: the agent makes the donor from the call, with the number read in its country', async () => {
    const team = await createTeam(t.database.db, []);
    await line([team.id]);
    const agent = await agentIn([team.id]);
    const e164 = mobile();
    const logged = await logCall(agent, { from: e164 });
    expect(logged.body).toMatchObject({ donors: [], withheld: false, call: { donorId: null } });
    const callId: number = logged.body.call.id;
    expect((await donorsOf(agent, callId)).body).toEqual({ donors: [], more: false });

    // Field errors name the field and change nothing.
    const bad = await create(agent, callId, { firstName: '', lastName: '', phone: '12', email: 'nope' });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'body.email',
      'body.lastName',
      'body.phone',
    ]);
    const other = await agentIn([team.id]);
    expect((await create(other, callId, { firstName: 'X', lastName: 'Y' })).status).toBe(404);

    const national = `0${e164.slice(3)}`;
    const made = await create(agent, callId, { firstName: ' Nadia ', lastName: 'Okafor', phone: national });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.donor).toMatchObject({
      reference: `IN-${callId}`,
      name: expect.stringContaining('Nadia'),
      phone: e164,
      country: 'GB',
      timeZone: 'Europe/London',
    });
    expect(made.body.call).toMatchObject({ id: callId, donorId: made.body.donor.id });
    // The next caller from that number is matched to the new donor.
    expect((await matchCaller(t.database.db, e164)).donors.map((d) => d.id)).toEqual([made.body.donor.id]);
    const again = await create(agent, callId, { firstName: 'Nadia', lastName: 'Okafor' });
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/already linked to a donor/);
    const audited = await t.database.pool.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE entity_type = 'donor' AND entity_id = $1 AND action = 'create' AND actor_id = $2`,
      [made.body.donor.id, agent.user.id],
    );
    expect(audited.rows[0].n).toBe(1);
  });
});

describe('listInboundQueue: callers waiting, longest wait and agents free, per line in scope', () => {
  it('counts waiting callers, the longest wait, positions, and only the agents who could answer', async () => {
    const token = (await admin.post('/api/phone-system-tokens', { name: `PBX ${uniqueSuffix()}` })).body
      .token as string;
    const offer = async (to: string, from: string) => {
      const res = await signedPhoneSystemRequest(t, {
        token,
        path: '/api/phone-system/calls',
        body: { callId: `q-${uniqueSuffix()}`, from, to },
        at: clock.now(),
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ inboundCallId: number }>();
    };

    const managerUser = await apiUser(t.app, t.database, 'manager');
    const led = await createTeam(t.database.db, []);
    const notLed = await createTeam(t.database.db, []);
    await t.database.db.insert(teamMembers).values({ teamId: led.id, userId: managerUser.user.id, isLeader: true });
    const mine = await line([led.id]);
    const theirs = await line([notLed.id]);

    // The callers arrive while nobody can answer (so they queue; a free agent would be rung at once).
    const first = await offer(mine.number, '+44 7700 900001');
    clock.advance(30_000);
    const second = await offer(mine.number, 'anonymous');
    clock.advance(15_000);
    await offer(theirs.number, '+44 7700 900002');

    // Then agents sign in (set straight in the database: no route is taken, so nobody is rung yet).
    // Free: Ready, inbound job role, in the team. Not free: on a call, signed in only, outbound-only role, no shift, other team.
    await agentIn([led.id], { state: 'ready' });
    await agentIn([led.id], { state: 'ready' });
    await agentIn([led.id], { state: 'on_call' });
    await agentIn([led.id]);
    await agentIn([led.id], { shift: false });
    await agentIn([notLed.id], { state: 'ready' });
    const [outboundOnly] = await t.database.db
      .insert(jobRoles)
      .values({ name: `Outbound ${uniqueSuffix()}`, outbound: true, inbound: false })
      .returning();
    const outbound = await agentIn([led.id], { shift: false });
    expect((await outbound.openShift(outboundOnly!.id)).status).toBe(201);
    await t.database.db.update(shifts).set({ state: 'ready' }).where(eq(shifts.agentId, outbound.user.id));

    const asManager = await managerUser.get('/api/inbound/queue');
    expect(asManager.status, JSON.stringify(asManager.body)).toBe(200);
    expect(asManager.body.lines).toEqual([
      {
        lineId: mine.id,
        lineName: mine.name,
        number: mine.number,
        waiting: 2,
        longestWaitSeconds: 45,
        agentsFree: 2,
        calls: [
          { inboundCallId: first.inboundCallId, from: '+44 7700 900001', waitedSeconds: 45, position: 1 },
          { inboundCallId: second.inboundCallId, from: 'anonymous', waitedSeconds: 15, position: 2 },
        ],
      },
    ]);

    // A caller who hung up no longer waits.
    await t.database.db
      .update(inboundCalls)
      .set({ status: 'abandoned' })
      .where(eq(inboundCalls.id, first.inboundCallId));
    const later = await managerUser.get('/api/inbound/queue');
    expect(later.body.lines[0]).toMatchObject({ waiting: 1, longestWaitSeconds: 15, calls: [{ position: 1 }] });

    // The admin sees every line, the empty ones too.
    const asAdmin = await admin.get('/api/inbound/queue');
    const ids = asAdmin.body.lines.map((l: { lineId: number }) => l.lineId);
    expect(ids).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    expect(asAdmin.body.lines.find((l: { lineId: number }) => l.lineId === theirs.id)).toMatchObject({
      waiting: 1,
      agentsFree: 1,
    });

    // Agents cannot read it.
    const agent = await signedIn(t.app, t.database);
    expect((await agent.call('GET', '/api/inbound/queue')).status).toBe(403);
  });
});

describe("listInboundQueue's statement", () => {
  it("reads each line's waiting calls from inbound_calls_line_queue_idx, never a scan of the calls", async () => {
    const team = await createTeam(t.database.db, []);
    const l = await line([team.id]);
    const tokenId = (await admin.post('/api/phone-system-tokens', { name: `Bulk ${uniqueSuffix()}` })).body
      .id as number;
    // 20,000 calls of the past, 20 waiting.
    await t.database.pool.query(
      `INSERT INTO inbound_calls (phone_system_token_id, external_id, line_id, from_raw, status, offer_answer, arrived_at, updated_at)
       SELECT $1, 'bulk-' || g, $2, '+447400130000', CASE WHEN g % 1000 = 0 THEN 'queued' ELSE 'ended' END::inbound_call_status,
              '{"inboundCallId":0,"action":"queue","position":0}', now() - g * interval '1 minute', now()
         FROM generate_series(1, 20000) g`,
      [tokenId, l.id],
    );
    await t.database.pool.query('ANALYZE inbound_calls');
    const query = queueByLine(t.database.db, null, clock.now()).toSQL();
    const plan = await t.database.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${query.sql}`, query.params);
    const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).not.toContain('Seq Scan on inbound_calls');
    expect(text).toContain('inbound_calls_line_queue_idx');
    const rows = await queueByLine(t.database.db, null, clock.now());
    expect(rows.find((r) => r.lineId === l.id)).toMatchObject({ waiting: 20 });
  });
});
