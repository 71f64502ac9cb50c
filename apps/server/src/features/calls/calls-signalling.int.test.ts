import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Call, CallLine, ManagerCall } from '@engage/contracts';
import { signedIn, type Agent } from '../../../test/agent';
import { createTestApp, testClock, type TestApp } from '../../../test/app';
import { createCampaign, createDonors, createSettings, createTeam } from '../../../test/dialer-factories';

/**
 * The call record's signalling (what the softphone reported: dialled, answered, hang-up side and
 * cause, talk seconds) as the manager's Calls list and the agent's My calls show it: the same
 * view recordCallSignal answers (telephony.rules callLineView), null for a call with no softphone.
 */
const clock = testClock(new Date('2026-03-11T10:00:00Z'));
let t: TestApp;
let s: Awaited<ReturnType<typeof createSettings>>;

beforeAll(async () => {
  t = await createTestApp({
    now: clock.now,
    env: {
      TELEPHONY: 'sip',
      TELEPHONY_WS_URL: 'ws://127.0.0.1:8088',
      TELEPHONY_SECRET: 'a-secret-shared-with-kamailio-0123456789',
      SESSION_IDLE_MINUTES: '1000000',
      SESSION_ABSOLUTE_HOURS: '100000',
    },
  });
  s = await createSettings(t.database.db);
});

const signal = async (agent: Agent, callId: number, body: object): Promise<CallLine> => {
  const res = await agent.call('POST', `/api/calls/${callId}/signals`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as CallLine;
};

describe('the call record shows the softphone signalling (Calls, My calls)', () => {
  let manager: Agent;
  let agent: Agent;
  let teamId: number;
  /** Each call's id with what recordCallSignal last answered of it (null: never signalled). */
  const made: { id: number; reported: CallLine | null; name: string }[] = [];

  beforeAll(async () => {
    manager = await signedIn(t.app, t.database, 'manager');
    agent = await signedIn(t.app, t.database);
    const team = await createTeam(t.database.db, [agent.user.id]);
    teamId = team.id;
    await t.database.db.execute(
      sql`insert into team_members (team_id, user_id, is_leader) values (${team.id}, ${manager.user.id}, true)`,
    );
    const donors = await createDonors(
      t.database.db,
      Array.from({ length: 5 }, () => ({})),
    );
    const campaign = await createCampaign(t.database, {
      teamIds: [team.id],
      lists: [{ donorIds: donors.map((d) => d.id) }],
    });
    expect((await agent.openShift(s.jobRoleId)).status).toBe(201);
    expect((await agent.ready(team.id, campaign.id)).status).toBe(200);

    /** Start Call, `during` on the line, End Call; returns the call's id. */
    async function call(name: string, during: (callId: number) => Promise<CallLine | null>) {
      const next = await agent.next();
      expect(next.body.status).toBe('offered');
      const started = await agent.start(next.body.offer.id);
      expect(started.status).toBe(200);
      expect((started.body as { call: Call }).call.signalling).toBeNull();
      const id = started.body.call.id as number;
      const reported = await during(id);
      const ended = await agent.end(id, { endReasonId: s.end.retry });
      expect(ended.status, JSON.stringify(ended.body)).toBe(200);
      made.push({ id, name, reported: reported === null ? null : await lineAfterEnd(id, reported) });
      clock.advance(60_000);
    }
    /** What recordCallSignal answers now that the call has ended (a repeated signal writes nothing). */
    const lineAfterEnd = (id: number, r: CallLine) =>
      r.hungUpAt === null ? signal(agent, id, { type: 'answered' }) : Promise.resolve(r);

    await call('answered, the donor hung up after 3 s', async (id) => {
      await signal(agent, id, { type: 'dialled' });
      clock.advance(5_000);
      await signal(agent, id, { type: 'answered' });
      // While the call is open, the agent's shift shows it answered, no talk time yet.
      const open = (await agent.shift()).body.call as Call;
      expect(open.signalling).toMatchObject({ talkSeconds: null, hangupCause: null });
      expect(open.signalling?.answeredAt).not.toBeNull();
      clock.advance(3_000);
      const ended = await signal(agent, id, { type: 'ended', originator: 'remote', cause: 'Terminated' });
      clock.advance(20_000);
      return ended;
    });
    await call('busy', async (id) => {
      await signal(agent, id, { type: 'dialled' });
      clock.advance(2_000);
      return signal(agent, id, { type: 'ended', statusCode: 486, originator: 'remote', cause: 'Busy' });
    });
    await call('no answer', async (id) => {
      await signal(agent, id, { type: 'dialled' });
      clock.advance(60_000);
      return signal(agent, id, { type: 'ended', statusCode: 408, originator: 'remote', cause: 'Unavailable' });
    });
    await call('no softphone (the tel: link)', async () => {
      clock.advance(30_000);
      return null;
    });
    await call('answered, the hang-up never reported: talk time runs to End Call', async (id) => {
      await signal(agent, id, { type: 'dialled' });
      const answered = await signal(agent, id, { type: 'answered' });
      clock.advance(42_000);
      return answered;
    });
  }, 60_000);

  it("the manager's Calls list: each call's line as recorded, null without a softphone", async () => {
    const res = await manager.call('GET', `/api/calls?teamId=${teamId}`);
    expect(res.status).toBe(200);
    const byId = new Map((res.body.calls as ManagerCall[]).map((c) => [c.id, c.signalling]));
    expect(byId.size).toBe(5);
    for (const m of made) expect(byId.get(m.id), m.name).toEqual(m.reported);

    const [answered, busy, noAnswer, none, unreported] = made.map((m) => byId.get(m.id));
    expect(answered).toMatchObject({ talkSeconds: 3, hangupSide: 'donor', hangupCause: 'normal', sipStatus: null });
    expect(Date.parse(answered!.answeredAt!) - Date.parse(answered!.dialledAt!)).toBe(5_000);
    expect(busy).toMatchObject({ answeredAt: null, talkSeconds: null, hangupCause: 'busy', sipStatus: 486 });
    expect(noAnswer).toMatchObject({ answeredAt: null, hangupSide: 'donor', hangupCause: 'no_answer', sipStatus: 408 });
    expect(none).toBeNull();
    expect(unreported).toMatchObject({ hungUpAt: null, talkSeconds: 42, hangupCause: null });
  });

  it('filters the Calls list by how the line ended', async () => {
    const ids = async (cause: string) => {
      const res = await manager.call('GET', `/api/calls?teamId=${teamId}&hangupCause=${cause}`);
      expect(res.status).toBe(200);
      return (res.body.calls as ManagerCall[]).map((c) => c.id);
    };
    expect(await ids('busy')).toEqual([made[1]!.id]);
    expect(await ids('no_answer')).toEqual([made[2]!.id]);
    expect(await ids('normal')).toEqual([made[0]!.id]);
    expect(await ids('failed')).toEqual([]);
    const bad = await manager.call('GET', `/api/calls?hangupCause=hung_up`);
    expect(bad.status).toBe(400);
  });

  it("the agent's My calls shows the same line", async () => {
    const res = await agent.call('GET', '/api/me/calls?scope=shift');
    expect(res.status).toBe(200);
    const byId = new Map((res.body as Call[]).map((c) => [c.id, c.signalling]));
    for (const m of made) expect(byId.get(m.id), m.name).toEqual(m.reported);
  });
});
