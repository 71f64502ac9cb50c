import { beforeAll, describe, expect, it } from 'vitest';
import { signedIn } from '../../../test/agent';
import { createTestApp, type TestApp } from '../../../test/app';
import { createSettings, createTeam, setLegalWindow } from '../../../test/dialer-factories';
import { uniqueSuffix } from '../../../test/factories';
import { apiUser, makeLeader, type ApiUser } from '../../../test/lists-factories';

/**
 * The web's "New campaign from a file" calls the existing operations in order (list, upload,
 * start the import, create the campaign with its team and hours, connect the list, activate), so
 * each keeps its own checks. What the flow relies on: a campaign may be activated while its only
 * list is still being imported (even before a row arrived), and the imported donors reach its
 * queue when the import ends; a team the manager does not lead is refused before anything is made.
 */
let t: TestApp;
let manager: ApiUser;
let s: Awaited<ReturnType<typeof createSettings>>;

beforeAll(async () => {
  t = await createTestApp();
  manager = await apiUser(t.app, t.database, 'manager');
  s = await createSettings(t.database.db);
  // Agents call at any hour in this file (the legal window is tested in the dialer's tests).
  await setLegalWindow(t.database, '00:00', '24:00');
});

const wholeDay = Array.from({ length: 7 }, () => ({ start: '00:00', end: '24:00' }));

describe('New campaign from a file, as the server sees it', () => {
  it('activates a campaign whose list is not imported yet; the file’s donors reach the team’s agent when the import ends', async () => {
    const x = uniqueSuffix();
    const agent = await signedIn(t.app, t.database);
    const team = await createTeam(t.database.db, [agent.user.id]);
    await makeLeader(t.database, manager.user.id, team.id);

    const list = await manager.createList(`From file ${x}`);
    const csv = ['Reference;Name;Mobile;Telephone', `FF-${x}-1;Only Telephone;;020 7946 0018`].join('\n');
    const up = await manager.upload(list.id, 'donors.csv', csv);
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body.preview.delimiter).toBe(';');
    expect(up.body.preview.suggestedMapping).toMatchObject({ phone: 'Mobile', altPhone: 'Telephone' });

    // The worst case of the flow's order: the campaign is live before the first row is imported.
    const created = await manager.call('POST', '/api/campaigns', {
      name: `From file ${x}`,
      purpose: 'thank_you',
      teamIds: [team.id],
      weekdayHours: wholeDay,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const campaignId = created.body.id as number;
    const connected = await manager.call('POST', `/api/campaigns/${campaignId}/lists`, { listId: list.id });
    expect(connected.status, JSON.stringify(connected.body)).toBe(200);
    const activated = await manager.call('PATCH', `/api/campaigns/${campaignId}`, { status: 'active' });
    expect(activated.status, JSON.stringify(activated.body)).toBe(200);
    expect(activated.body).toMatchObject({ status: 'active', lists: [{ listId: list.id, donorCount: 0 }] });

    expect((await agent.openShift(s.jobRoleId)).status).toBe(201);
    expect((await agent.ready(team.id, campaignId)).status).toBe(200);
    expect((await agent.next()).body.status).not.toBe('offered');

    const started = await manager.call('POST', `/api/imports/${up.body.import.id}/start`, {
      mapping: up.body.preview.suggestedMapping,
      defaultCountry: 'GB',
    });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    expect(await manager.waitForImport(up.body.import.id)).toMatchObject({
      status: 'done',
      created: 1,
      uncallable: 0,
    });

    const next = await agent.next();
    expect(next.body.status, JSON.stringify(next.body)).toBe('offered');
    expect(next.body.offer.donor.phone).toBe('+442079460018');
  });

  it('refuses a team the manager does not lead, naming the fix, and makes no campaign', async () => {
    const x = uniqueSuffix();
    const other = await createTeam(t.database.db, []);
    const refused = await manager.call('POST', '/api/campaigns', {
      name: `Not my team ${x}`,
      purpose: 'thank_you',
      teamIds: [other.id],
      weekdayHours: wholeDay,
    });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/only attach or detach teams you lead.*Ask its leader or an administrator/);
    const { rows } = await t.database.pool.query('SELECT 1 FROM campaigns WHERE name = $1', [`Not my team ${x}`]);
    expect(rows).toHaveLength(0);
  });
});
