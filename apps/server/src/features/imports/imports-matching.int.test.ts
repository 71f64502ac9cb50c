import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app';
import { uniqueSuffix } from '../../../test/factories';
import { addToList, apiUser, insertDonors, parseCsv, type ApiUser } from '../../../test/lists-factories';
import { IMPORT_OUT_OF_REACH_MESSAGE } from '../donors/donor-reach';
import { sql } from 'drizzle-orm';
import { matchDonorsSql } from './imports.repository';

let t: TestApp;
let manager: ApiUser;

beforeAll(async () => {
  t = await createTestApp();
  manager = await apiUser(t.app, t.database, 'manager');
});

async function importFile(listId: number, csv: string, mapping: Record<string, string>) {
  const up = await manager.upload(listId, 'no-reference.csv', csv);
  expect(up.status, JSON.stringify(up.body)).toBe(201);
  const id = up.body.import.id as number;
  const started = await manager.call('POST', `/api/imports/${id}/start`, { mapping, defaultCountry: 'GB' });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  return { id, done: await manager.waitForImport(id) };
}

describe('an import without a reference column', () => {
  it('matches existing donors by phone, then email, with the same name; gives new donors a generated reference; keeps the reach rule', async () => {
    const x = uniqueSuffix();
    const mine = await manager.createList();
    const [byPhone, byEmail, outOfReach] = await insertDonors(t.database.db, [
      { reference: `MP-${x}`, firstName: 'Ann', lastName: 'Phone', phone: '+442079460031' },
      {
        reference: `ME-${x}`,
        firstName: 'Anna',
        lastName: 'Email',
        phone: '+442079460034',
        email: `Anna.${x}@Example.org`,
      },
      // On no list of this manager's and never called by their teams: out of reach.
      { reference: `MX-${x}`, firstName: 'Not', lastName: 'Mine', altPhone: '+442079460033' },
    ]);
    await addToList(t.database, mine.id, [byPhone!.id, byEmail!.id]);
    const target = await manager.createList();

    const csv = [
      'Name,Mobile,Email',
      'Ann Phone,020 7946 0031,', // 2: the donor with this phone (written another way) and name
      `Anna Email,,anna.${x}@example.org`, // 3: the donor with this email (other case) and name
      'New Donor,020 7946 0032,', // 4: nobody: a new donor with a generated reference
      'Not Mine,020 7946 0033,', // 5: another manager's donor (by their other phone): refused
      `Anna Email,020 7946 0039,anna.${x}@example.org`, // 6: row 3's donor again: a duplicate
    ].join('\n');
    const mapping = { fullName: 'Name', phone: 'Mobile', email: 'Email' };
    const { id, done } = await importFile(target.id, csv, mapping);
    expect(done).toMatchObject({ status: 'done', created: 1, updated: 2, rejected: 1, duplicates: 1 });
    // Another file: Bob shares Ann's landline. Another name, so another donor: Ann is not renamed.
    const household = await importFile(target.id, 'Name,Mobile,Email\nBob Phone,020 7946 0031,\n', mapping);
    expect(household.done).toMatchObject({ status: 'done', created: 1, updated: 0 });

    const donors = await t.database.pool.query<{ id: number; reference: string; first_name: string; phone: string }>(
      'SELECT id, reference, first_name, phone FROM donors WHERE id = ANY ($1) OR reference = ANY ($2) ORDER BY id',
      [
        [byPhone!.id, byEmail!.id, outOfReach!.id],
        [`IMP-${id}-4`, `IMP-${household.id}-2`],
      ],
    );
    expect(donors.rows.map((d) => [d.reference, d.first_name, d.phone])).toEqual([
      [`MP-${x}`, 'Ann', '+442079460031'],
      [`ME-${x}`, 'Anna', '+442079460034'],
      [`MX-${x}`, 'Not', null], // unchanged
      [`IMP-${id}-4`, 'New', '+442079460032'],
      [`IMP-${household.id}-2`, 'Bob', '+442079460031'],
    ]);
    const members = await t.database.pool.query<{ donor_id: number }>(
      'SELECT donor_id FROM list_members WHERE list_id = $1 ORDER BY donor_id',
      [target.id],
    );
    expect(members.rows.map((m) => m.donor_id)).toEqual([
      byPhone!.id,
      byEmail!.id,
      donors.rows[3]!.id,
      donors.rows[4]!.id,
    ]);

    const report = parseCsv((await manager.raw(`/api/imports/${id}/errors`)).text);
    expect(report.slice(1).map((r) => [r[0], r[3]])).toEqual([
      ['5', IMPORT_OUT_OF_REACH_MESSAGE],
      ['6', 'Same donor (by phone or email) as row 3: skipped as a duplicate.'],
    ]);
  });

  it('started again after a failure, finds the donors it created instead of adding them twice', async () => {
    const list = await manager.createList();
    const { id, done } = await importFile(list.id, 'Name,Email\nNo Phone,\n', { fullName: 'Name', email: 'Email' });
    expect(done).toMatchObject({ status: 'done', created: 1 });
    // As if the run had stopped after its first batch: started again, the row finds its donor.
    await t.database.pool.query(`UPDATE imports SET status = 'failed', storage_path = $2 WHERE id = $1`, [
      id,
      await reupload(list.id, 'Name,Email\nNo Phone,\n'),
    ]);
    const again = await manager.call('POST', `/api/imports/${id}/start`, {
      mapping: { fullName: 'Name', email: 'Email' },
      defaultCountry: 'GB',
    });
    expect(again.status, JSON.stringify(again.body)).toBe(202);
    expect(await manager.waitForImport(id)).toMatchObject({ status: 'done', created: 0, updated: 1 });
    const n = await t.database.pool.query('SELECT count(*)::int AS n FROM donors WHERE reference = $1', [
      `IMP-${id}-2`,
    ]);
    expect(n.rows[0].n).toBe(1);
  });

  it('looks every row up through the indexes on reference, phone, other phone and email', async () => {
    await t.database.pool.query(
      `INSERT INTO donors (reference, first_name, last_name, phone, alt_phone, email)
       SELECT 'MIDX-' || g, 'A', 'B', '+4470' || lpad(g::text, 8, '0'), '+4471' || lpad(g::text, 8, '0'), 'm' || g || '@x.org'
         FROM generate_series(1, 20000) g
       ON CONFLICT (reference) DO NOTHING`,
    );
    await t.database.pool.query('ANALYZE donors');
    const plan = await t.database.db.execute<{ 'QUERY PLAN': string }>(
      sql`EXPLAIN ${matchDonorsSql(1, [
        { row: 2, phone: '+447000000001', alt_phone: null, email: null, first_name: 'A', last_name: 'B' },
        { row: 3, phone: null, alt_phone: null, email: 'm2@x.org', first_name: 'A', last_name: 'B' },
      ])}`,
    );
    const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).not.toContain('Seq Scan on donors');
    for (const index of ['donors_phone_idx', 'donors_alt_phone_idx', 'donors_email_lower_idx']) {
      expect(text).toContain(index);
    }
  });
});

/** Puts the file back where a failed import keeps it (the done run deleted its file). */
async function reupload(listId: number, csv: string): Promise<string> {
  const up = await manager.upload(listId, 'again.csv', csv);
  const r = await t.database.pool.query<{ storage_path: string }>(
    `UPDATE imports SET storage_path = NULL, status = 'expired' WHERE id = $1
     RETURNING (SELECT storage_path FROM imports WHERE id = $1) AS storage_path`,
    [up.body.import.id],
  );
  return r.rows[0]!.storage_path;
}
