import { beforeAll, describe, expect, it } from 'vitest';
import { signedIn } from '../../../test/agent';
import { apiUser, type ApiUser } from '../../../test/admin-factories';
import { createTestApp, testClock, type TestApp } from '../../../test/app';
import { createCampaign, createDonors, createSettings, createTeam } from '../../../test/dialer-factories';
import { uniqueSuffix } from '../../../test/factories';
import { teamMembers } from '../../db/schema';

/**
 * The agent's call names the inbound line it came in on (the shift bar shows it instead of the
 * outbound campaign): on the call the shift carries, on the answers that put the shift on it, and
 * in the agent's calls; an outbound call has none.
 */
// Tuesday 10 March 2026, 12:00 in London: lines are open (Mon-Fri 09:00-17:00).
const clock = testClock(new Date('2026-03-10T12:00:00Z'));
let t: TestApp;
let admin: ApiUser;
let settings: Awaited<ReturnType<typeof createSettings>>;

beforeAll(async () => {
  t = await createTestApp({ now: clock.now });
  admin = await apiUser(t.app, t.database, 'admin');
  settings = await createSettings(t.database.db);
});

describe("the shift's call names its inbound line", () => {
  it('an inbound call carries its line name, an outbound call null', async () => {
    const team = await createTeam(t.database.db, []);
    const line = await admin.post<{ id: number; name: string }>('/api/inbound/lines', {
      number: '020 7946 2911',
      country: 'GB',
      name: `Care line ${uniqueSuffix()}`,
      timeZone: 'Europe/London',
      teamIds: [team.id],
    });
    expect(line.status, JSON.stringify(line.body)).toBe(201);
    const [donor] = await createDonors(t.database.db, [{}]);
    const campaign = await createCampaign(t.database, { teamIds: [team.id], lists: [{ donorIds: [donor!.id] }] });
    const agent = await signedIn(t.app, t.database);
    await t.database.db.insert(teamMembers).values({ teamId: team.id, userId: agent.user.id });
    expect((await agent.openShift(settings.jobRoleId)).status).toBe(201);

    // An outbound call: no line.
    expect((await agent.ready(team.id, campaign.id)).status).toBe(200);
    const next = await agent.next();
    expect(next.body.status, JSON.stringify(next.body)).toBe('offered');
    const started = await agent.start(next.body.offer.id);
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    expect(started.body.call).toMatchObject({ direction: 'outbound', lineName: null });
    expect((await agent.shift()).body.call).toMatchObject({ id: started.body.call.id, lineName: null });
    expect((await agent.end(started.body.call.id, { endReasonId: settings.end.final })).status).toBe(200);

    // A desk-phone call on the line (withheld number): the line's name, wherever the call shows.
    const logged = await agent.call('POST', '/api/inbound/calls/log', { lineId: line.body.id, from: '' });
    expect(logged.status, JSON.stringify(logged.body)).toBe(201);
    expect(logged.body.call).toMatchObject({ direction: 'inbound', donorId: null, lineName: line.body.name });
    const shift = (await agent.shift()).body;
    expect(shift).toMatchObject({
      state: 'on_call',
      campaign: { id: campaign.id },
      call: { id: logged.body.call.id, direction: 'inbound', lineName: line.body.name },
    });
    const mine = await agent.call('GET', '/api/me/calls?scope=shift');
    expect(mine.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: logged.body.call.id, lineName: line.body.name }),
        expect.objectContaining({ id: started.body.call.id, lineName: null }),
      ]),
    );
  });
});
