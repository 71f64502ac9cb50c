import { sql } from 'drizzle-orm';
import type { ListSummary } from '@engage/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app';
import { createCampaign, createTeam } from '../../../test/dialer-factories';
import { uniqueSuffix } from '../../../test/factories';
import { addToList, apiUser, insertDonors, makeLeader, parseCsv, type ApiUser } from '../../../test/lists-factories';
import { neutraliseCell } from './csv';

let t: TestApp;
let manager: ApiUser;
let agent: ApiUser;

beforeAll(async () => {
  t = await createTestApp();
  manager = await apiUser(t.app, t.database, 'manager');
  agent = await apiUser(t.app, t.database, 'agent');
});

async function auditOf(entityType: string, entityId: number) {
  const r = await t.database.db.execute(
    sql`select action, actor_id, before, after from audit_log where entity_type = ${entityType} and entity_id = ${entityId} order by id`,
  );
  return r.rows as { action: string; actor_id: number; before: any; after: any }[];
}

describe('lists', () => {
  it('creates, reads, renames a list; names are unique; every change is audited', async () => {
    const name = `Spring appeal ${uniqueSuffix()}`;
    const created = await manager.call('POST', '/api/lists', { name: `  ${name} `, description: 'Lapsed donors' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name, description: 'Lapsed donors', donorCount: 0, campaigns: [] });
    const id = created.body.id as number;

    const again = await manager.call('POST', '/api/lists', { name: name.toUpperCase() });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('conflict');
    expect(again.body.message).toMatch(/already exists.*another name/);

    const empty = await manager.call('POST', '/api/lists', { name: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.body.issues[0].path).toBe('body.name');

    const got = await manager.call('GET', `/api/lists/${id}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id, name, createdBy: manager.user.name });

    const renamed = await manager.call('PATCH', `/api/lists/${id}`, { name: `${name} (renamed)` });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe(`${name} (renamed)`);
    expect(renamed.body.description).toBe('Lapsed donors');

    const other = await manager.createList();
    const clash = await manager.call('PATCH', `/api/lists/${other.id}`, { name: `${name} (renamed)` });
    expect(clash.status).toBe(409);

    expect((await manager.call('GET', '/api/lists/999999')).status).toBe(404);
    expect((await manager.call('PATCH', '/api/lists/999999', { name: 'x' })).status).toBe(404);

    const audit = await auditOf('list', id);
    expect(audit.map((a) => a.action)).toEqual(['create', 'rename']);
    expect(audit[1]).toMatchObject({
      actor_id: manager.user.id,
      before: { name },
      after: { name: `${name} (renamed)` },
    });
  });

  it('lists every list with its donor count and the campaigns it feeds', async () => {
    const team = await createTeam(t.database.db, []);
    const ds = await insertDonors(t.database.db, [{}, {}, {}]);
    const campaign = await createCampaign(t.database, {
      teamIds: [team.id],
      lists: [{ donorIds: ds.map((d) => d.id), priority: 7 }],
    });
    const res = await manager.call('GET', '/api/lists');
    expect(res.status).toBe(200);
    const fed = (res.body.lists as ListSummary[]).find((l) => l.campaigns.some((c) => c.id === campaign.id));
    expect(fed).toMatchObject({
      donorCount: 3,
      description: '',
      campaigns: [{ id: campaign.id, name: campaign.name, priority: 7 }],
    });
    expect(typeof fed?.createdAt).toBe('string');
  });

  it('pages the members of a list, newest first', async () => {
    const list = await manager.createList();
    const ds = await insertDonors(
      t.database.db,
      Array.from({ length: 5 }, () => ({})),
    );
    await t.database.db.execute(
      sql`insert into list_members (list_id, donor_id, added_at)
          select ${list.id}, id, now() - (id || ' seconds')::interval from donors where id in ${sql.raw(`(${ds.map((d) => d.id).join(',')})`)}`,
    );
    const p1 = await manager.call('GET', `/api/lists/${list.id}/members?page=1&pageSize=2`);
    expect(p1.status).toBe(200);
    expect(p1.body).toMatchObject({ total: 5, page: 1, pageSize: 2 });
    expect(p1.body.members).toHaveLength(2);
    expect(p1.body.members[0]).toMatchObject({ id: ds[0]!.id, reference: ds[0]!.reference });
    const p3 = await manager.call('GET', `/api/lists/${list.id}/members?page=3&pageSize=2`);
    expect(p3.body.members.map((m: { id: number }) => m.id)).toEqual([ds[4]!.id]);
    expect((await manager.call('GET', `/api/lists/${list.id}/members?pageSize=500`)).status).toBe(400);
  });

  it('makes a list from a donor search with every match, not one page', async () => {
    const s = uniqueSuffix();
    const quorns = await insertDonors(
      t.database.db,
      Array.from({ length: 60 }, (_, i) => ({ firstName: `Zebedee${i}`, lastName: `Quorn-${s}` })),
    );
    const others = await insertDonors(t.database.db, [{ firstName: 'Other', lastName: `Person ${s}` }]);
    // The manager's work reaches them: a campaign of a team they lead calls them.
    const team = await createTeam(t.database.db, []);
    await makeLeader(t.database, manager.user.id, team.id);
    await createCampaign(t.database, {
      teamIds: [team.id],
      lists: [{ donorIds: [...quorns, ...others].map((d) => d.id) }],
    });
    const res = await manager.call('POST', '/api/lists/from-search', { name: `Quorns ${s}`, q: `quorn-${s}` });
    expect(res.status).toBe(201);
    expect(res.body.donorCount).toBe(60);
    const audit = await auditOf('list', res.body.id);
    expect(audit.map((a) => a.action)).toEqual(['create', 'add_donors']);
    expect(audit[1]!.after).toMatchObject({ added: 60 });
  });

  it('an empty-search list by a manager holds only the donors their work reaches, never the whole database', async () => {
    const s = uniqueSuffix();
    const m = await apiUser(t.app, t.database, 'manager');
    const other = await apiUser(t.app, t.database, 'manager');
    const team = await createTeam(t.database.db, []);
    await makeLeader(t.database, m.user.id, team.id);
    const [inCampaign, onOwnList, othersDonor] = await insertDonors(t.database.db, [{}, {}, {}]);
    await createCampaign(t.database, { teamIds: [team.id], lists: [{ donorIds: [inCampaign!.id] }] });
    const own = await m.createList();
    await addToList(t.database, own.id, [onOwnList!.id]);
    const othersList = await other.createList();
    await addToList(t.database, othersList.id, [othersDonor!.id]);

    const res = await m.call('POST', '/api/lists/from-search', { name: `Everything ${s}`, q: '' });
    expect(res.status).toBe(201);
    expect(res.body.donorCount).toBe(2);
    const members = await m.call('GET', `/api/lists/${res.body.id}/members?pageSize=100`);
    expect(members.body.members.map((d: { id: number }) => d.id).sort()).toEqual(
      [inCampaign!.id, onOwnList!.id].sort(),
    );
    const total = await t.database.pool.query('SELECT count(*)::int AS n FROM donors');
    expect(total.rows[0].n).toBeGreaterThan(2);
    // An administrator's empty search takes every donor.
    const admin = await apiUser(t.app, t.database, 'admin');
    const everyone = await admin.call('POST', '/api/lists/from-search', { name: `All ${s}`, q: '' });
    expect(everyone.body.donorCount).toBe(total.rows[0].n);
  });

  it("a list's members and export show a manager only the donors their work reaches; every export is audited", async () => {
    const s = uniqueSuffix();
    const m = await apiUser(t.app, t.database, 'manager');
    const other = await apiUser(t.app, t.database, 'manager');
    const admin = await apiUser(t.app, t.database, 'admin');
    const list = await other.createList(`Others ${s}`);
    const [mine, notMine] = await insertDonors(t.database.db, [
      { reference: `MINE-${s}`, phone: '+447700900201' },
      { reference: `THEIRS-${s}`, phone: '+447700900202', email: 'theirs@example.org' },
    ]);
    await addToList(t.database, list.id, [mine!.id, notMine!.id]);
    const own = await m.createList();
    await addToList(t.database, own.id, [mine!.id]);

    const members = await m.call('GET', `/api/lists/${list.id}/members`);
    expect(members.body).toMatchObject({ total: 1, members: [{ id: mine!.id }] });

    const refsOf = (text: string) =>
      parseCsv(text)
        .slice(1)
        .map((r) => r[0]);
    const byM = await m.raw(`/api/lists/${list.id}/export`);
    expect(byM.status).toBe(200);
    expect(refsOf(byM.text)).toEqual([`MINE-${s}`]);
    expect(byM.text).not.toContain('theirs@example.org');
    const byOwner = await other.raw(`/api/lists/${list.id}/export`);
    expect(refsOf(byOwner.text).sort()).toEqual([`MINE-${s}`, `THEIRS-${s}`]);
    const byAdmin = await admin.raw(`/api/lists/${list.id}/export`);
    expect(refsOf(byAdmin.text)).toHaveLength(2);

    const exports = (await auditOf('list', list.id)).filter((a) => a.action === 'export');
    expect(exports).toEqual([
      { action: 'export', actor_id: m.user.id, before: null, after: { name: `Others ${s}`, rows: 1 } },
      { action: 'export', actor_id: other.user.id, before: null, after: { name: `Others ${s}`, rows: 2 } },
      { action: 'export', actor_id: admin.user.id, before: null, after: { name: `Others ${s}`, rows: 2 } },
    ]);
    // It shows in the list's audit trail.
    const trail = await admin.call('GET', `/api/audit?entityType=list&entityId=${list.id}`);
    expect(trail.body.entries[0]).toMatchObject({
      action: 'export',
      actor: { id: admin.user.id, name: admin.user.name },
      after: { name: `Others ${s}`, rows: 2 },
    });
    expect((await m.raw('/api/lists/99999999/export')).status).toBe(404);
  });

  it('exports a list as CSV with every formula-looking cell neutralised', async () => {
    const list = await manager.createList(`Export ${uniqueSuffix()}`);
    const s = uniqueSuffix();
    const ds = await insertDonors(t.database.db, [
      { firstName: '=SUM(1)', lastName: '+1', reference: `=R-${s}`, email: '@x' },
      { firstName: '-1', lastName: '\tTabbed', reference: `R2-${s}` },
      { firstName: '\rCarriage', lastName: 'Plain, "quoted"', reference: `R3-${s}`, phone: '+447700900123' },
    ]);
    await t.database.db.execute(
      sql`insert into list_members (list_id, donor_id) select ${list.id}, unnest(${`{${ds.map((d) => d.id).join(',')}}`}::int[])`,
    );
    const res = await manager.raw(`/api/lists/${list.id}/export`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="export-[a-z0-9]+\.csv"/);
    expect(res.text.startsWith('\ufeff')).toBe(true);
    const rows = parseCsv(res.text);
    const [header, ...data] = rows;
    expect(header!.slice(0, 3)).toEqual(['reference', 'first_name', 'last_name']);
    expect(data).toHaveLength(3);
    const col = (name: string) => header!.indexOf(name);
    const byRef = new Map(data.map((r) => [r[0]!, r]));
    const r1 = byRef.get(`'=R-${s}`)!;
    expect(r1[col('first_name')]).toBe("'=SUM(1)");
    expect(r1[col('last_name')]).toBe("'+1");
    expect(r1[col('email')]).toBe("'@x");
    const r2 = byRef.get(`R2-${s}`)!;
    expect(r2[col('first_name')]).toBe("'-1");
    expect(r2[col('last_name')]).toBe("'\tTabbed");
    const r3 = byRef.get(`R3-${s}`)!;
    expect(r3[col('first_name')]).toBe("'\rCarriage");
    expect(r3[col('last_name')]).toBe('Plain, "quoted"');
    expect(r3[col('phone')]).toBe("'+447700900123");
    // No cell of the file starts with a formula character.
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('neutralises exactly the cells that start with = + - @ tab or CR', () => {
    expect(['=A1', '+1', '-1', '@x', '\tx', '\rx'].map(neutraliseCell)).toEqual([
      "'=A1",
      "'+1",
      "'-1",
      "'@x",
      "'\tx",
      "'\rx",
    ]);
    expect(['a=1', ' =1', 'José', '', "'=1"].map(neutraliseCell)).toEqual(['a=1', ' =1', 'José', '', "'=1"]);
  });

  it('refuses agents every list route (403), and anonymous callers (401)', async () => {
    const list = await manager.createList();
    const routes: [method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown][] = [
      ['GET', '/api/lists'],
      ['POST', '/api/lists', { name: `x ${uniqueSuffix()}` }],
      ['POST', '/api/lists/from-search', { name: `y ${uniqueSuffix()}`, q: 'a' }],
      ['GET', `/api/lists/${list.id}`],
      ['PATCH', `/api/lists/${list.id}`, { name: 'hacked' }],
      ['GET', `/api/lists/${list.id}/members`],
      ['GET', `/api/lists/${list.id}/export`],
      ['GET', `/api/lists/${list.id}/imports`],
      ['POST', `/api/lists/${list.id}/imports`, {}],
      ['POST', '/api/imports/1/start', { mapping: { reference: 'ref' }, defaultCountry: 'GB' }],
      ['GET', '/api/imports/1'],
      ['GET', '/api/imports/1/errors'],
    ];
    for (const [method, url, body] of routes) {
      const res = await agent.call(method, url, body);
      expect(res.status, `${method} ${url}`).toBe(403);
      expect(res.body.code).toBe('forbidden');
      const anon = await t.app.inject({
        method,
        url,
        payload: method === 'GET' ? undefined : (body ?? {}),
      });
      expect(anon.statusCode, `${method} ${url} anonymous`).toBe(401);
    }
    expect((await manager.call('GET', `/api/lists/${list.id}`)).body.name).toBe(list.name);
  });
});
