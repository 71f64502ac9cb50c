import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, testClock, type TestApp } from '../../../test/app';
import { signedIn } from '../../../test/agent';
import { createCampaign, createSettings, createTeam } from '../../../test/dialer-factories';
import { uniqueSuffix } from '../../../test/factories';
import { createList } from '../../../test/admin-factories';
import { addToList, apiUser, insertDonors, makeLeader, type ApiUser } from '../../../test/lists-factories';
import { NAME_ORDER, searchWhere } from './donors.repository';
import { searchCriteria } from './donors.search';

const clock = testClock(new Date('2026-06-10T12:00:00Z'));
let t: TestApp;
let manager: ApiUser;
/** A list the manager made: donors on it are within the manager's reach. */
let managersList: { id: number };

beforeAll(async () => {
  t = await createTestApp({
    now: clock.now,
    env: { SESSION_IDLE_MINUTES: '1000000', SESSION_ABSOLUTE_HOURS: '100000' },
  });
  manager = await apiUser(t.app, t.database, 'manager');
  managersList = await manager.createList();
});

/** Donors within the manager's reach (on a list the manager made). */
async function reachable<T extends { id: number }>(ds: T[]): Promise<T[]> {
  await addToList(
    t.database,
    managersList.id,
    ds.map((d) => d.id),
  );
  return ds;
}

async function search(q: string, extra = '') {
  const res = await manager.call('GET', `/api/donors?q=${encodeURIComponent(q)}${extra}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { donors: { id: number; reference: string; name: string }[]; total: number };
}

describe('searchDonors', () => {
  it('finds names regardless of accents, case and apostrophes; references, phones and emails exactly', async () => {
    const s = uniqueSuffix();
    const [jose, obrien, phoned, emailed, referenced] = await reachable(
      await insertDonors(t.database.db, [
        { firstName: 'José', lastName: `Álvarez${s}` },
        { firstName: 'Siobhán', lastName: `O'Brien${s}` },
        { firstName: 'Pat', lastName: `Phone${s}`, phone: '+447700900123' },
        { firstName: 'Em', lastName: `Mail${s}`, email: `Em.Mail.${s}@Example.org` },
        { firstName: 'Ref', lastName: `Erence${s}`, reference: `ABC-${s}-REF` },
      ]),
    );
    const ids = async (q: string) => (await search(q)).donors.map((d) => d.id);

    expect(await ids(`jose alvarez${s}`)).toEqual([jose!.id]);
    expect(await ids(`JOSÉ ÁLVAREZ${s}`)).toEqual([jose!.id]);
    expect(await ids(`obrien${s}`)).toEqual([obrien!.id]);
    expect(await ids(`o'brien${s}`)).toEqual([obrien!.id]);
    expect(await ids(`O’Brien${s}`)).toEqual([obrien!.id]);
    expect(await ids(`siobhan o brien${s}`)).toEqual([obrien!.id]);
    expect(await ids('07700 900123')).toContain(phoned!.id);
    expect(await ids('+44 (0)7700-900123')).toContain(phoned!.id);
    expect(await ids(`em.mail.${s}@example.ORG`)).toEqual([emailed!.id]);
    expect(await ids(`abc-${s}-ref`)).toEqual([referenced!.id]);
    expect(await ids(`nobody${s}`)).toEqual([]);

    const summary = (await search(`o'brien${s}`)).donors[0];
    expect(summary).toMatchObject({
      id: obrien!.id,
      name: `Siobhán O'Brien${s}`,
      reference: obrien!.reference,
      timeZone: 'Europe/London',
      doNotCall: false,
      deceased: false,
      suppressed: false,
    });
  });

  it('matches the alternative phone too, and treats LIKE wildcards as text', async () => {
    const s = uniqueSuffix();
    const [alt] = await reachable(
      await insertDonors(t.database.db, [
        { firstName: '100%', lastName: `Sure_${s}`, altPhone: '+442079460018' },
        { firstName: '1000', lastName: `SureX${s}` },
      ]),
    );
    expect((await search('020 7946 0018')).donors.map((d) => d.id)).toContain(alt!.id);
    expect((await search(`100% sure_${s}`)).donors.map((d) => d.id)).toEqual([alt!.id]);
  });

  it('pages the results with the total', async () => {
    const s = uniqueSuffix();
    await reachable(
      await insertDonors(
        t.database.db,
        Array.from({ length: 7 }, (_, i) => ({ firstName: `Pager${i}`, lastName: `Paging${s}` })),
      ),
    );
    const p1 = await search(`paging${s}`, '&pageSize=3');
    expect(p1.total).toBe(7);
    expect(p1.donors).toHaveLength(3);
    const p3 = await search(`paging${s}`, '&pageSize=3&page=3');
    expect(p3.donors).toHaveLength(1);
  });

  it('sorts names as people do: "\'t Hart" under T after Adams; accents and case beside the plain letters', async () => {
    const s = uniqueSuffix();
    const names = ["'t Hart", 'Zeller', 'van Dijk', 'adler', 'Ångström', 'Adams', 'de la Cruz', 'Bauer'];
    await reachable(
      await insertDonors(
        t.database.db,
        names.map((lastName) => ({ firstName: `Ord${s}`, lastName })),
      ),
    );
    const found = await search(`ord${s}`);
    expect(found.donors.map((d) => d.name.replace(`Ord${s} `, ''))).toEqual([
      'Adams',
      'adler',
      'Ångström',
      'Bauer',
      'de la Cruz',
      "'t Hart",
      'van Dijk',
      'Zeller',
    ]);
  });

  it('filters by country, do-not-call, deceased, list and last gift date, with the search text or without', async () => {
    const s = uniqueSuffix();
    const [gb, ie, dnc, dead, listed, gave] = await reachable(
      await insertDonors(
        t.database.db,
        ['Gb', 'Ie', 'Dnc', 'Dead', 'Listed', 'Gave'].map((firstName) => ({ firstName, lastName: `Filter${s}` })),
      ),
    );
    await t.database.pool.query(`UPDATE donors SET country = 'GB' WHERE id = ANY($1)`, [
      [gb!.id, dnc!.id, dead!.id, listed!.id, gave!.id],
    ]);
    await t.database.pool.query(`UPDATE donors SET country = 'IE' WHERE id = $1`, [ie!.id]);
    await t.database.pool.query(`UPDATE donors SET do_not_call = true WHERE id = $1`, [dnc!.id]);
    await t.database.pool.query(`UPDATE donors SET deceased = true WHERE id = $1`, [dead!.id]);
    const list = await createList(t.database.db, [listed!.id, ie!.id]);
    // Gave: an old gift and one on 2026-05-20 (the last); Listed: only the old one.
    await t.database.pool.query(
      `INSERT INTO donations (donor_id, amount_minor, currency, method, donated_at)
       VALUES ($1, 1000, 'GBP', 'card', '2025-01-15T10:00:00Z'), ($1, 2500, 'GBP', 'card', '2026-05-20T10:00:00Z'),
              ($2, 500, 'GBP', 'cash', '2025-01-15T10:00:00Z')`,
      [gave!.id, listed!.id],
    );
    const firstNames = async (extra: string) =>
      (await search(`filter${s}`, extra)).donors.map((d) => d.name.split(' ')[0]).sort();

    expect(await firstNames('')).toEqual(['Dead', 'Dnc', 'Gave', 'Gb', 'Ie', 'Listed']);
    expect(await firstNames('&country=ie')).toEqual(['Ie']);
    expect(await firstNames('&doNotCall=true')).toEqual(['Dnc']);
    expect(await firstNames('&deceased=true')).toEqual(['Dead']);
    expect(await firstNames('&country=GB&doNotCall=false&deceased=false')).toEqual(['Gave', 'Gb', 'Listed']);
    expect(await firstNames(`&listId=${list.id}`)).toEqual(['Ie', 'Listed']);
    expect(await firstNames('&lastGiftFrom=2026-05-01&lastGiftTo=2026-05-31')).toEqual(['Gave']);
    // A last gift before 2026 only: Gave's newest gift is later, so only Listed.
    expect(await firstNames('&lastGiftTo=2025-12-31')).toEqual(['Listed']);
    expect((await search(`filter${s}`, '&country=IE')).total).toBe(1);

    // Without search text: the filters alone.
    const onList = await search('', `&listId=${list.id}`);
    expect(onList.donors.map((d) => d.id).sort()).toEqual([ie!.id, listed!.id].sort());
    expect(onList.total).toBe(2);

    const wrong = await manager.call('GET', '/api/donors?lastGiftFrom=2026-06-01&lastGiftTo=2026-05-01');
    expect(wrong.status).toBe(400);
    expect(wrong.body.issues[0].path).toBe('querystring.lastGiftFrom');
    expect((await manager.call('GET', '/api/donors?country=Ireland')).status).toBe(400);
  });

  it('a page of every donor in name order is read from the name-order index', async () => {
    await t.database.pool.query(
      `INSERT INTO donors (reference, first_name, last_name)
       SELECT 'ORD-' || g, 'Given' || g, 'Sorted' || (g % 991) FROM generate_series(1, 20000) g
       ON CONFLICT (reference) DO NOTHING`,
    );
    await t.database.pool.query('ANALYZE donors');
    const plan = await t.database.db.execute<{ 'QUERY PLAN': string }>(
      sql`EXPLAIN SELECT id FROM donors WHERE true AND true ORDER BY ${NAME_ORDER} LIMIT 50 OFFSET 0`,
    );
    const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toContain('donors_name_order_idx');
    expect(text).not.toContain('Sort');
  });

  it('uses the trigram index for a name search', async () => {
    // Enough rows that a sequential scan is not the obvious choice.
    await t.database.pool.query(
      `INSERT INTO donors (reference, first_name, last_name)
       SELECT 'IDX-' || g, 'Name' || g, 'Family' || (g % 997) FROM generate_series(1, 20000) g`,
    );
    await t.database.pool.query('ANALYZE donors');
    for (const q of ['family123', "o'family123", 'José Family123']) {
      const plan = await t.database.db.execute<{ 'QUERY PLAN': string }>(
        sql`EXPLAIN SELECT id FROM donors WHERE ${searchWhere(searchCriteria(q))}`,
      );
      const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(text, q).toContain('donors_name_search_idx');
      expect(text, q).not.toContain('Seq Scan');
    }
  });

  it('refuses agents (403)', async () => {
    const agent = await apiUser(t.app, t.database, 'agent');
    expect((await agent.call('GET', '/api/donors?q=a')).status).toBe(403);
    expect((await agent.call('PATCH', '/api/donors/1', { firstName: 'x' })).status).toBe(403);
  });
});

describe('updateDonor', () => {
  it('checks every field and answers each problem next to it', async () => {
    const [d] = await reachable(await insertDonors(t.database.db, [{ phone: '+442079460018' }]));
    const res = await manager.call('PATCH', `/api/donors/${d!.id}`, {
      phone: '12345',
      timeZone: 'Mars/Olympus_Mons',
      email: 'not-an-email',
      country: 'ZZ',
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    const paths = res.body.issues.map((i: { path: string }) => i.path).sort();
    expect(paths).toEqual(['body.country', 'body.email', 'body.phone', 'body.timeZone']);
    expect(res.body.issues.find((i: any) => i.path === 'body.phone').message).toMatch(/not a valid phone number/);
    expect(res.body.issues.find((i: any) => i.path === 'body.timeZone').message).toMatch(/Europe\/London/);
    // Nothing was saved.
    const after = await manager.call('GET', `/api/donors/${d!.id}`);
    expect(after.body.phone).toBe('+442079460018');
  });

  it('saves details in E.164, NFC and a valid zone, audits the change, and leaves other fields alone', async () => {
    const [d] = await reachable(await insertDonors(t.database.db, [{ firstName: 'Old', email: 'old@example.org' }]));
    const res = await manager.call('PATCH', `/api/donors/${d!.id}`, {
      firstName: 'Jose\u0301', // "José" written with a combining accent
      phone: '020 7946 0018',
      altPhone: '+1 202-555-0143',
      country: 'gb',
      timeZone: 'europe/london',
      language: 'English',
      city: ' Leeds ',
      notes: 'Prefers mornings',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      firstName: 'José',
      phone: '+442079460018',
      altPhone: '+12025550143',
      country: 'GB',
      timeZone: 'Europe/London',
      language: 'en',
      city: 'Leeds',
      notes: 'Prefers mornings',
      email: 'old@example.org',
    });
    expect(res.body.firstName).toBe('Jos\u00e9');
    const audit = await t.database.db.execute(
      sql`select action, actor_id, before, after from audit_log where entity_type = 'donor' and entity_id = ${d!.id}`,
    );
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]).toMatchObject({
      action: 'update',
      actor_id: manager.user.id,
      before: { first_name: 'Old', phone: null },
      after: { first_name: 'José', phone: '+442079460018' },
    });
    expect((audit.rows[0] as any).after).not.toHaveProperty('email');

    const cleared = await manager.call('PATCH', `/api/donors/${d!.id}`, { altPhone: '', email: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ altPhone: null, email: null, phone: '+442079460018' });
    expect((await manager.call('PATCH', '/api/donors/99999999', { firstName: 'x' })).status).toBe(404);
  });

  it('a donor marked do-not-call or deceased is no longer offered by the dialer', async () => {
    const s = await createSettings(t.database.db);
    const agent = await signedIn(t.app, t.database);
    const team = await createTeam(t.database.db, [agent.user.id]);
    await makeLeader(t.database, manager.user.id, team.id); // the campaign's donors are the manager's work
    const [dnc, dead, fine] = await insertDonors(t.database.db, [
      { phone: '+442079460101' },
      { phone: '+442079460102' },
      { phone: '+442079460103' },
    ]);
    const campaign = await createCampaign(t.database, {
      teamIds: [team.id],
      lists: [{ donorIds: [dnc!.id, dead!.id, fine!.id] }],
    });
    expect((await manager.call('PATCH', `/api/donors/${dnc!.id}`, { doNotCall: true })).body.doNotCall).toBe(true);
    expect((await manager.call('PATCH', `/api/donors/${dead!.id}`, { deceased: true })).body.deceased).toBe(true);

    expect((await agent.openShift(s.jobRoleId)).status).toBe(201);
    expect((await agent.ready(team.id, campaign.id)).status).toBe(200);
    const next = await agent.next();
    expect(next.status).toBe(200);
    expect(next.body.status).toBe('offered');
    expect(next.body.offer.donor.id).toBe(fine!.id);
    expect((await agent.skip(next.body.offer.id, s.skip.remove)).status).toBeLessThan(300);
    const after = await agent.next();
    expect(after.body.status).toBe('out_of_data');
  });

  it('getDonor answers the separate address fields, the flags and the lists to managers', async () => {
    const [d] = await insertDonors(t.database.db, [{}]);
    const list = await manager.createList();
    await t.database.db.execute(sql`insert into list_members (list_id, donor_id) values (${list.id}, ${d!.id})`);
    const res = await manager.call('GET', `/api/donors/${d!.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      addressLine1: null,
      suppressed: false,
      lists: [{ id: list.id, name: list.name }],
      donations: [],
    });
  });
});

describe("a manager's reach (donor-reach.ts)", () => {
  it('a manager finds, reads, edits and reads the history of only the donors their work reaches; an admin any', async () => {
    const s = uniqueSuffix();
    const managerA = await apiUser(t.app, t.database, 'manager');
    const managerB = await apiUser(t.app, t.database, 'manager');
    const admin = await apiUser(t.app, t.database, 'admin');
    const agentB = await signedIn(t.app, t.database);
    const teamA = await createTeam(t.database.db, []);
    const teamB = await createTeam(t.database.db, [agentB.user.id]);
    await makeLeader(t.database, managerA.user.id, teamA.id);
    await makeLeader(t.database, managerB.user.id, teamB.id);
    const [ofA, onBsList, calledByB, nobodys] = await insertDonors(t.database.db, [
      { firstName: 'Ann', lastName: `Reach${s}` },
      { firstName: 'Ben', lastName: `Reach${s}` },
      { firstName: 'Cat', lastName: `Reach${s}` },
      { firstName: 'Dan', lastName: `Reach${s}` },
    ]);
    await createCampaign(t.database, { teamIds: [teamA.id], lists: [{ donorIds: [ofA!.id] }] });
    const bsList = await managerB.createList();
    await addToList(t.database, bsList.id, [onBsList!.id]);
    await t.database.pool.query(
      `INSERT INTO calls (direction, agent_id, donor_id, team_id, started_at, ended_at, updated_at)
       VALUES ('inbound', $1, $2, $3, now(), now(), now())`,
      [agentB.user.id, calledByB!.id, teamB.id],
    );

    // Search: an empty search by a manager is their donors, never the whole database.
    const everyB = await managerB.call('GET', '/api/donors?pageSize=100');
    expect(everyB.status).toBe(200);
    expect(everyB.body.total).toBe(2);
    expect(everyB.body.donors.map((d: { id: number }) => d.id).sort()).toEqual([onBsList!.id, calledByB!.id].sort());
    const namedB = await managerB.call('GET', `/api/donors?q=reach${s}`);
    expect(namedB.body.donors.map((d: { id: number }) => d.id).sort()).toEqual([onBsList!.id, calledByB!.id].sort());
    const namedA = await managerA.call('GET', `/api/donors?q=reach${s}`);
    expect(namedA.body.donors.map((d: { id: number }) => d.id)).toEqual([ofA!.id]);
    const all = await admin.call('GET', `/api/donors?q=reach${s}`);
    expect(all.body.total).toBe(4);
    const total = await t.database.pool.query('SELECT count(*)::int AS n FROM donors');
    expect((await admin.call('GET', '/api/donors')).body.total).toBe(total.rows[0].n);

    // Profile, edit, gift: out of reach reads as "no such donor", and nothing changes.
    for (const [method, url, body] of [
      ['GET', `/api/donors/${ofA!.id}`, undefined],
      ['PATCH', `/api/donors/${ofA!.id}`, { firstName: 'Hijacked', phone: '+447700900999' }],
      ['POST', `/api/donors/${ofA!.id}/donations`, { amount: 500, currency: 'GBP', method: 'card' }],
      ['GET', `/api/audit?entityType=donor&entityId=${ofA!.id}`, undefined],
    ] as const) {
      const res = await managerB.call(method, url, body);
      expect(res.status, `${method} ${url}`).toBe(404);
      expect(res.body.message, url).toMatch(/ask an administrator or the donor's team manager/);
    }
    const untouched = await t.database.pool.query('SELECT first_name, phone FROM donors WHERE id = $1', [ofA!.id]);
    expect(untouched.rows[0]).toEqual({ first_name: 'Ann', phone: null });
    const noAudit = await t.database.pool.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE entity_type = 'donor' AND entity_id = $1`,
      [ofA!.id],
    );
    expect(noAudit.rows[0].n).toBe(0);

    expect((await managerB.call('GET', `/api/donors/${onBsList!.id}`)).status).toBe(200);
    const edited = await managerB.call('PATCH', `/api/donors/${calledByB!.id}`, { firstName: 'Catherine' });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    const trail = await managerB.call('GET', `/api/audit?entityType=donor&entityId=${calledByB!.id}`);
    expect(trail.status).toBe(200);
    expect(trail.body.entries).toEqual([
      expect.objectContaining({
        action: 'update',
        actor: { id: managerB.user.id, name: managerB.user.name },
        before: { first_name: 'Cat' },
        after: { first_name: 'Catherine' },
      }),
    ]);
    expect((await managerA.call('PATCH', `/api/donors/${ofA!.id}`, { firstName: 'Annie' })).status).toBe(200);
    expect((await admin.call('PATCH', `/api/donors/${nobodys!.id}`, { firstName: 'Daniel' })).status).toBe(200);
    expect((await admin.call('GET', `/api/audit?entityType=donor&entityId=${nobodys!.id}`)).status).toBe(200);
    expect((await managerA.call('GET', `/api/donors/${nobodys!.id}`)).status).toBe(404);
  });
});

describe('getProfile', () => {
  it("shows a donor's gifts, sponsorships, payments, lists and timeline of calls, call-backs and notes, newest first", async () => {
    const settings = await createSettings(t.database.db);
    const agent = await signedIn(t.app, t.database);
    const team = await createTeam(t.database.db, [agent.user.id]);
    const [d] = await reachable(
      await insertDonors(t.database.db, [{ firstName: 'Pro', lastName: `File${uniqueSuffix()}` }]),
    );
    const campaign = await createCampaign(t.database, { teamIds: [team.id], lists: [{ donorIds: [d!.id] }] });
    const q = (text: string, values: unknown[]) => t.database.pool.query(text, values);
    const ended = await q(
      `INSERT INTO calls (direction, agent_id, donor_id, campaign_id, team_id, started_at, ended_at, end_reason_id, notes, updated_at)
       VALUES ('outbound', $1, $2, $3, $4, '2026-06-01T10:00:00Z', '2026-06-01T10:05:00Z', $5, 'Happy to give', now()) RETURNING id`,
      [agent.user.id, d!.id, campaign.id, team.id, settings.end.final],
    );
    await q(
      `INSERT INTO calls (direction, agent_id, donor_id, started_at, updated_at)
       VALUES ('inbound', $1, $2, '2026-06-03T09:00:00Z', now())`,
      [agent.user.id, d!.id],
    );
    await q(
      `INSERT INTO appointments (donor_id, campaign_id, scheduled_at, notes, created_at, updated_at)
       VALUES ($1, $2, '2026-06-02T15:00:00Z', 'After lunch', now(), now())`,
      [d!.id, campaign.id],
    );
    await q(
      `INSERT INTO donor_notes (donor_id, author_id, body, created_at) VALUES ($1, NULL, 'Prefers email', '2026-05-30T08:00:00Z')`,
      [d!.id],
    );
    await q(
      `INSERT INTO donations (donor_id, amount_minor, currency, method, call_id, donated_at)
       VALUES ($1, 2500, 'GBP', 'card', $2, '2026-06-01T10:04:00Z')`,
      [d!.id, ended.rows[0].id],
    );
    const sponsorship = await q(
      `INSERT INTO sponsorships (donor_id, subject, amount_minor, currency, frequency, status, started_on)
       VALUES ($1, 'Old well', 500, 'GBP', 'monthly', 'cancelled', '2024-01-01'),
              ($1, 'School meals', 1000, 'GBP', 'monthly', 'active', '2023-05-01') RETURNING id`,
      [d!.id],
    );
    await q(
      `INSERT INTO payments (donor_id, sponsorship_id, amount_minor, currency, method, status, failure_reason, due_on)
       VALUES ($1, $2, 1000, 'GBP', 'direct_debit', 'succeeded', NULL, '2026-04-01'),
              ($1, $2, 1000, 'GBP', 'direct_debit', 'failed', 'Insufficient funds', '2026-05-01')`,
      [d!.id, sponsorship.rows[1].id],
    );

    const res = await manager.call('GET', `/api/donors/${d!.id}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const p = res.body;
    expect(p.donations).toEqual([
      expect.objectContaining({
        amountMinor: 2500,
        currency: 'GBP',
        method: 'card',
        callId: ended.rows[0].id,
        donatedAt: '2026-06-01T10:04:00.000Z',
      }),
    ]);
    expect(p.sponsorships.map((s: { subject: string; startedOn: string }) => [s.subject, s.startedOn])).toEqual([
      ['School meals', '2023-05-01'],
      ['Old well', '2024-01-01'],
    ]);
    expect(
      p.payments.map((x: { dueOn: string; status: string; failureReason: string | null }) => [
        x.dueOn,
        x.status,
        x.failureReason,
      ]),
    ).toEqual([
      ['2026-05-01', 'failed', 'Insufficient funds'],
      ['2026-04-01', 'succeeded', null],
    ]);
    const lists = await q(
      `SELECT l.id, l.name FROM lists l WHERE l.id = $1 OR l.id IN (SELECT list_id FROM campaign_lists WHERE campaign_id = $2)
        ORDER BY l.name`,
      [managersList.id, campaign.id],
    );
    expect(lists.rows).toHaveLength(2);
    expect(p.lists).toEqual(lists.rows);
    expect(p.timeline).toEqual([
      {
        kind: 'call',
        at: '2026-06-03T09:00:00.000Z',
        title: `Call by ${agent.user.name} – in progress`,
        detail: 'No campaign',
      },
      {
        kind: 'appointment',
        at: '2026-06-02T15:00:00.000Z',
        title: 'Call-back scheduled',
        detail: `${campaign.name}: After lunch`,
      },
      {
        kind: 'call',
        at: '2026-06-01T10:00:00.000Z',
        title: expect.stringMatching(new RegExp(`^Call by ${agent.user.name} – Concluded `)),
        detail: `${campaign.name}: Happy to give`,
      },
      { kind: 'note', at: '2026-05-30T08:00:00.000Z', title: 'Note', detail: 'Prefers email' },
    ]);

    // An agent sees the donor of their team's campaign, but no lists; another agent does not see it.
    const asAgent = await agent.call('GET', `/api/donors/${d!.id}`);
    expect(asAgent.status).toBe(200);
    expect(asAgent.body.lists).toEqual([]);
    const stranger = await signedIn(t.app, t.database);
    expect((await stranger.call('GET', `/api/donors/${d!.id}`)).status).toBe(404);
  });
});
