import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiUser, type ApiUser } from '../../../test/admin-factories';
import { signedIn, type Agent } from '../../../test/agent';
import { createTestApp, testClock, type TestApp } from '../../../test/app';
import { createCampaign, createDonors, createSettings, createTeam } from '../../../test/dialer-factories';
import { uniqueSuffix } from '../../../test/factories';
import { answerInbound, declineInbound, inboundKit } from '../../../test/inbound-factories';
import { breakReasons, inboundCalls, jobRoles, offers, shifts } from '../../db/schema';
import { queueByLine } from './inbound-desk.repository';
import { missedCallsBreakReason } from './inbound.repository';

/**
 * An agent signed in under a job role that takes inbound calls only (review finding B2): Ready with
 * no team and no campaign, rung and answering like any agent, never given a donor; and a role that
 * takes outbound calls only is never rung.
 */
// Tuesday 10 March 2026, 12:00 in London: the lines below are open (Mon-Fri 09:00-17:00).
const clock = testClock(new Date('2026-03-10T12:00:00Z'));
let t: TestApp;
let admin: ApiUser;
let token: string;
let settings: Awaited<ReturnType<typeof createSettings>>;
let inboundRole: { id: number; name: string };
let outboundRole: { id: number; name: string };

beforeAll(async () => {
  t = await createTestApp({ now: clock.now, env: { LEASE_SECONDS: '3600' } });
  admin = await apiUser(t.app, t.database, 'admin');
  token = (await admin.post('/api/phone-system-tokens', { name: 'Inbound-only PBX' })).body.token;
  settings = await createSettings(t.database.db);
  const role = async (name: string, outbound: boolean, inbound: boolean) =>
    (
      await t.database.db
        .insert(jobRoles)
        .values({ name: `${name} ${uniqueSuffix()}`, outbound, inbound })
        .returning({ id: jobRoles.id, name: jobRoles.name })
    )[0]!;
  inboundRole = await role('Inbound caller', false, true);
  outboundRole = await role('Outbound caller', true, false);
}, 60_000);

const kit = inboundKit(() => ({ t, admin, token }), {
  clock,
  numberPrefix: '020 7946 3',
  lineDefaults: { ringSeconds: 5 },
});
const line = (teamIds: number[]) => kit.line(teamIds);
const offer = (to: string) => kit.offer(to);
const answer = answerInbound;
const decline = declineInbound;
const readyForInbound = (a: Agent) => a.call('POST', '/api/shift/ready', {});

/**
 * An agent in a new team that answers a new line, signed in under the job role; the team also
 * works an active outbound campaign with callable donors (which an inbound-only agent never gets).
 */
async function agentOnLine(roleId: number) {
  const a = await signedIn(t.app, t.database);
  const team = await createTeam(t.database.db, [a.user.id]);
  const donors = await createDonors(t.database.db, [{}, {}]);
  const campaign = await createCampaign(t.database, {
    teamIds: [team.id],
    lists: [{ donorIds: donors.map((d) => d.id) }],
  });
  const l = await line([team.id]);
  expect((await a.openShift(roleId)).status).toBe(201);
  return { a, team, campaign, line: l };
}

async function offersOf(agentId: number) {
  return t.database.db.select().from(offers).where(eq(offers.agentId, agentId));
}

describe('an agent under a job role that takes inbound calls only', () => {
  it('goes Ready with no team or campaign, is rung and answers, ends the call and is ready and rung again', async () => {
    const { a, team, line: l } = await agentOnLine(inboundRole.id);
    const signedInShift = (await a.shift()).body;
    expect(signedInShift).toMatchObject({
      state: 'signed_in',
      jobRole: { id: inboundRole.id, name: inboundRole.name, takes: { outbound: false, inbound: true } },
    });
    // Signed in but not Ready: not free, so the caller queues.
    const queued = await offer(l.number);
    expect(queued).toMatchObject({ action: 'queue' });

    const ready = await readyForInbound(a);
    expect(ready.status, JSON.stringify(ready.body)).toBe(200);
    expect(ready.body).toMatchObject({ state: 'ready', team: null, campaign: null, offer: null });
    // Becoming Ready rang the caller who was waiting.
    const rung = await a.shift();
    expect(rung.body.incoming).toMatchObject({ inboundCallId: queued.inboundCallId });

    const answered = await answer(a, queued.inboundCallId);
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    expect(answered.body.call).toMatchObject({ direction: 'inbound', campaignId: l.campaign.id, teamId: team.id });
    expect((await a.shift()).body).toMatchObject({ state: 'on_call', call: { id: answered.body.call.id } });

    const ended = await a.end(answered.body.call.id, { endReasonId: settings.end.final });
    expect(ended.status, JSON.stringify(ended.body)).toBe(200);
    expect((await a.shift()).body).toMatchObject({ state: 'ready', team: null, campaign: null, offer: null });

    // Rung again for the next caller.
    clock.advance(1_000);
    expect(await offer(l.number)).toMatchObject({ action: 'ring', agentId: a.user.id });
    expect(await offersOf(a.user.id)).toEqual([]);
  });

  it('is refused Next donor, saying why and what to do, and is never given a donor of their team', async () => {
    const { a } = await agentOnLine(inboundRole.id);
    // Signed in, then Ready: refused either way, with nothing written.
    for (const step of [async () => undefined, async () => expect((await readyForInbound(a)).status).toBe(200)]) {
      await step();
      const before = (await a.shift()).body;
      const next = await a.next();
      expect(next.status).toBe(409);
      expect(next.body).toMatchObject({
        code: 'inbound_only',
        message: `Your job role ${inboundRole.name} takes inbound calls only: wait for a call to ring, or sign in under a role that calls donors.`,
      });
      expect((await a.shift()).body).toMatchObject({ state: before.state, stateSince: before.stateSince, offer: null });
    }
    expect(await offersOf(a.user.id)).toEqual([]);
  });

  it('is refused Ready with a team or a campaign, naming the fix; the shift stays signed in', async () => {
    const { a, team, campaign } = await agentOnLine(inboundRole.id);
    const withBoth = await a.ready(team.id, campaign.id);
    expect(withBoth.status).toBe(409);
    expect(withBoth.body).toMatchObject({
      code: 'inbound_only',
      message: `Your job role ${inboundRole.name} takes inbound calls only: press Ready for inbound calls without a team or campaign, or sign in under a role that calls donors.`,
      issues: [
        { path: 'body.teamId', message: 'No team: inbound calls only' },
        { path: 'body.campaignId', message: 'No campaign: inbound calls only' },
      ],
    });
    const withCampaign = await a.call('POST', '/api/shift/ready', { campaignId: campaign.id });
    expect(withCampaign.status).toBe(409);
    expect(withCampaign.body.issues).toEqual([{ path: 'body.campaignId', message: 'No campaign: inbound calls only' }]);
    expect((await a.shift()).body).toMatchObject({ state: 'signed_in', team: null, campaign: null });
  });

  it('after a break, and after the Missed calls break, Resume Shift makes it ready (rung again), not signed in', async () => {
    const { a, line: l } = await agentOnLine(inboundRole.id);
    expect((await readyForInbound(a)).status).toBe(200);
    expect((await a.call('POST', '/api/shift/break', { breakReasonId: settings.breakReasonId })).status).toBe(200);
    expect(await offer(l.number)).toMatchObject({ action: 'queue' });
    const resumed = await a.call('POST', '/api/shift/resume');
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(200);
    expect(resumed.body).toMatchObject({ state: 'ready', campaign: null });
    // Back to work: the caller who waited rings them.
    const first = (await a.shift()).body.incoming;
    expect(first).toMatchObject({ inboundCallId: expect.any(Number) });

    // Declined twice in a row (the line's only agent is rung again for the caller at the next
    // sweep): the Missed calls break; Resume Shift: ready again, and rung for the caller still waiting.
    expect((await decline(a, first.inboundCallId)).status).toBe(204);
    clock.advance(1_000);
    await t.app.inbound.sweep();
    const again = (await a.shift()).body.incoming;
    expect(again).toMatchObject({ inboundCallId: first.inboundCallId });
    expect((await decline(a, again.inboundCallId)).status).toBe(204);
    expect((await a.shift()).body).toMatchObject({ state: 'on_break', breakReason: { name: 'Missed calls' } });
    const back = await a.call('POST', '/api/shift/resume');
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    expect(back.body).toMatchObject({ state: 'ready', campaign: null });
    expect((await a.shift()).body.incoming).toMatchObject({ inboundCallId: first.inboundCallId });
  });

  it('logs a desk-phone call and, after End Call, is ready for inbound calls again; the sweeps leave it ready', async () => {
    const { a, line: l } = await agentOnLine(inboundRole.id);
    expect((await readyForInbound(a)).status).toBe(200);
    const logged = await a.call('POST', '/api/inbound/calls/log', { from: '+44 20 7946 0111', lineId: l.id });
    expect(logged.status, JSON.stringify(logged.body)).toBe(201);
    expect((await a.shift()).body.state).toBe('on_call');
    const ended = await a.end(logged.body.call.id, { endReasonId: settings.end.final });
    expect(ended.status, JSON.stringify(ended.body)).toBe(200);
    clock.advance(10 * 60_000);
    await t.app.dialer.sweep();
    await t.app.inbound.sweep();
    expect((await a.shift()).body).toMatchObject({ state: 'ready', team: null, campaign: null, offer: null });
    expect((await a.next()).body.code).toBe('inbound_only');
    expect(await offersOf(a.user.id)).toEqual([]);
  });
});

describe('the other job roles', () => {
  it('a role that takes outbound calls still needs a team and a campaign for Ready', async () => {
    const { a } = await agentOnLine(settings.jobRoleId);
    const res = await readyForInbound(a);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'validation_failed',
      message: 'Choose a team and a campaign, then press Ready for Call.',
      issues: [
        { path: 'body.teamId', message: 'Choose your team' },
        { path: 'body.campaignId', message: 'Choose a campaign' },
      ],
    });
    expect((await a.shift()).body).toMatchObject({
      state: 'signed_in',
      jobRole: { takes: { outbound: true, inbound: true } },
    });
  });

  it('a role that takes outbound calls only is Ready on its campaign and gets donors, but is never rung', async () => {
    const { a, team, campaign, line: l } = await agentOnLine(outboundRole.id);
    expect((await a.ready(team.id, campaign.id)).status).toBe(200);
    const [row] = (await queueByLine(t.database.db, null, clock.now())).filter((r) => r.lineId === l.id);
    expect(row?.agentsFree).toBe(0);
    const call = await offer(l.number);
    expect(call).toMatchObject({ action: 'queue' });
    const next = await a.next();
    expect(next.body).toMatchObject({ status: 'offered' });
    await t.app.inbound.sweep();
    const [stored] = await t.database.db.select().from(inboundCalls).where(eq(inboundCalls.id, call.inboundCallId));
    expect(stored).toMatchObject({ status: 'queued', ringingAgentId: null });
    const [shift] = await t.database.db.select().from(shifts).where(eq(shifts.agentId, a.user.id));
    expect(shift).toMatchObject({ state: 'previewing', ringingInboundCallId: null });
  });
});

describe('the Missed calls break reason (break_reasons.system_key)', () => {
  it('is found by its key, not its name: renamed by an administrator, two declines still put the agent on it, shown by its new name', async () => {
    // One made by name before the key (as before migration 0031): the migration gives it the key.
    const id = await missedCallsBreakReason(t.database.db);
    await t.database.db.update(breakReasons).set({ systemKey: null }).where(eq(breakReasons.id, id));
    const migration = readFileSync(
      new URL('../../db/migrations/0031_break_reason_system_key.sql', import.meta.url),
      'utf8',
    ).split('--> statement-breakpoint');
    await t.database.pool.query(migration.at(-1)!);
    const [made] = await t.database.db.select().from(breakReasons).where(eq(breakReasons.systemKey, 'missed_calls'));
    expect(made).toMatchObject({ id, name: 'Missed calls', systemKey: 'missed_calls' });
    expect(await missedCallsBreakReason(t.database.db)).toBe(id);
    const renamed = await admin.patch(`/api/settings/break-reasons/${made!.id}`, { name: 'Away: calls missed' });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    try {
      const { a, line: l } = await agentOnLine(inboundRole.id);
      expect((await readyForInbound(a)).status).toBe(200);
      const call = await offer(l.number);
      expect((await decline(a, call.inboundCallId)).status).toBe(204);
      clock.advance(1_000);
      await t.app.inbound.sweep();
      expect((await decline(a, call.inboundCallId)).status).toBe(204);
      expect((await a.shift()).body).toMatchObject({
        state: 'on_break',
        breakReason: { id: made!.id, name: 'Away: calls missed', systemKey: 'missed_calls' },
      });
      // No second "Missed calls" reason was made by name.
      expect(await t.database.db.select().from(breakReasons).where(eq(breakReasons.name, 'Missed calls'))).toEqual([]);
      // An agent's own break carries no key.
      expect((await a.call('POST', '/api/shift/resume')).status).toBe(200);
      expect((await a.call('POST', '/api/shift/break', { breakReasonId: settings.breakReasonId })).status).toBe(200);
      expect((await a.shift()).body.breakReason).toMatchObject({ id: settings.breakReasonId, systemKey: null });
    } finally {
      await admin.patch(`/api/settings/break-reasons/${made!.id}`, { name: 'Missed calls' });
    }
  });
});
