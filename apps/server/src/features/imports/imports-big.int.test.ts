import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app';
import { uniqueSuffix } from '../../../test/factories';
import { apiUser, parseCsv, type ApiUser } from '../../../test/lists-factories';

/**
 * The big one: a 100,000-row CSV file with a UTF-8 BOM, CRLF line ends, quoted cells with commas
 * and line breaks, blank lines, bad phones, missing references, bad emails, duplicate references
 * (in the same batch and thousands of rows apart), duplicate phones (written differently),
 * formula-looking cells and decomposed accents, imported through the real API. The generator
 * knows what every row must become, so the counts are asserted exactly; the same file imported
 * again creates nothing and changes nothing.
 */

const N = 100_000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engage-big-import-'));
const s = uniqueSuffix();
// A letter before the row number: a suffix of digits only and the number would make a 12+ digit run
// that can pass for a card number (and be rejected).
const ref = (i: number) => `BIG-${s}-R${i}`;
/** Unique, valid UK mobile numbers (+44 7400 000000 + i), written three ways. */
const phoneE164 = (i: number) => `+447400${String(i).padStart(6, '0')}`;
function phoneText(i: number, format: number): string {
  const d6 = String(i).padStart(6, '0');
  switch (format % 3) {
    case 0:
      return `07400 ${d6}`;
    case 1:
      return `+44 7400 ${d6}`;
    default:
      return `(07400) ${d6.slice(0, 3)}-${d6.slice(3)}`;
  }
}
const FORMULAS = ['=SUM(1)', '+1', '-1', '@x'];
const preExisting = (i: number) => i % 10 === 3;

type Category = 'created' | 'updated' | 'rejected' | 'duplicate';
interface Row {
  category: Category;
  reference: string;
  phone: string;
  /** The earlier row (index) this one duplicates, for duplicates. */
  of?: number;
}

/** What row i is, decided before it is written: the test's source of truth. */
function rowOf(i: number): Row {
  if (i % 500 === 11) return { category: 'rejected', reference: '', phone: phoneText(i, i) };
  if (i % 50 === 7) return { category: 'rejected', reference: ref(i), phone: i % 100 === 7 ? '12345' : 'call me' };
  if (i % 1000 === 999) return { category: 'rejected', reference: ref(i), phone: phoneText(i, i) };
  if (i % 100 === 77) return { category: 'duplicate', reference: ref(i), phone: phoneText(i - 1, i), of: i - 1 };
  if (i % 5000 === 2500 && i > 3000)
    return { category: 'duplicate', reference: ref(i), phone: phoneText(i - 3000, i), of: i - 3000 };
  if (i % 100 === 42 || i % 1000 === 904)
    return { category: 'duplicate', reference: ref(i - 1), phone: phoneText(i, i), of: i - 1 };
  if (i % 5000 === 4321 || i % 5000 === 4333) {
    return { category: 'duplicate', reference: ref(i - 4000), phone: phoneText(i, i), of: i - 4000 };
  }
  return { category: preExisting(i) ? 'updated' : 'created', reference: ref(i), phone: phoneText(i, i) };
}

const BLANK_AFTER = new Set([500, 60_000]);
/** The file's row number of data row i (the header is row 1; blank lines count as rows). */
const rowNumber = (i: number) => i + 2 + [...BLANK_AFTER].filter((b) => b < i).length;

function csvLineOf(i: number): string {
  const r = rowOf(i);
  const first = i % 20 === 5 ? FORMULAS[Math.floor(i / 20) % 4]! : i % 7 === 0 ? 'Jose\u0301' : `Name${i}`;
  const last = i % 11 === 0 ? `"Smith, ${i}"` : `Family${i % 997}`;
  const email = i % 1000 === 999 ? 'not-an-email' : i % 3 === 0 ? `d${i}@example.org` : '';
  const address = i % 13 === 0 ? `"1 High St\r\nFlat ${i}"` : `${i} Long Road`;
  const country = ['GB', '', 'United Kingdom', 'gb'][i % 4]!;
  const zone = i % 9 === 0 ? 'Europe/Dublin' : '';
  return `${r.reference},${first},${last},${r.phone},${email},${address},Leeds,${country},${zone}\r\n`;
}

/** Streams the file to disk (never whole in memory) and answers what the import must find. */
async function generate(file: string) {
  const out = fs.createWriteStream(file);
  const expected = { created: 0, updated: 0, rejected: 0, duplicates: 0 };
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('\ufeffReference,First name,Last name,Phone,Email,Address,City,Country,Time zone\r\n');
  for (let i = 0; i < N; i++) {
    await write(csvLineOf(i));
    if (BLANK_AFTER.has(i)) await write('\r\n');
    const c = rowOf(i).category;
    if (c === 'duplicate') expected.duplicates++;
    else expected[c]++;
  }
  out.end();
  await once(out, 'finish');
  return expected;
}

let t: TestApp;
let manager: ApiUser;
let file: string;
let expected: Awaited<ReturnType<typeof generate>>;

beforeAll(async () => {
  t = await createTestApp({ env: { UPLOAD_DIR: path.join(dir, 'uploads') } });
  manager = await apiUser(t.app, t.database, 'manager');
  file = path.join(dir, 'donors.csv');
  expected = await generate(file);
  // Donors already in the system with every tenth reference, on an earlier list of the manager's
  // (so within their reach): the import updates them.
  const earlier = await manager.createList(`Earlier ${s}`);
  await t.database.pool.query(
    `WITH d AS (
       INSERT INTO donors (reference, first_name, last_name, email, time_zone)
       SELECT $1 || g, 'Old', 'Donor', 'old' || g || '@example.org', 'Asia/Tokyo'
         FROM generate_series(0, $2::int - 1) g WHERE g % 10 = 3
       RETURNING id)
     INSERT INTO list_members (list_id, donor_id) SELECT $3, id FROM d`,
    [`BIG-${s}-R`, N, earlier.id],
  );
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function importFile(listId: number) {
  const startedAt = Date.now();
  const up = await manager.upload(listId, 'donors.csv', fs.readFileSync(file));
  expect(up.status, JSON.stringify(up.body)).toBe(201);
  expect(up.body.import.totalRows).toBe(N);
  const mapping = up.body.preview.suggestedMapping;
  expect(mapping).toEqual({
    reference: 'Reference',
    firstName: 'First name',
    lastName: 'Last name',
    phone: 'Phone',
    email: 'Email',
    addressLine1: 'Address',
    city: 'City',
    country: 'Country',
    timeZone: 'Time zone',
  });
  const uploadedAt = Date.now();
  const started = await manager.call('POST', `/api/imports/${up.body.import.id}/start`, {
    mapping,
    defaultCountry: 'GB',
  });
  expect(started.status).toBe(202);
  // Progress moves while it runs.
  const seen = new Set<number>();
  for (;;) {
    const res = await manager.call('GET', `/api/imports/${up.body.import.id}`);
    seen.add(res.body.processedRows);
    if (res.body.status !== 'running') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const done = await manager.waitForImport(up.body.import.id);
  const finishedAt = Date.now();
  console.log(
    `100k-row import: upload ${uploadedAt - startedAt} ms, run ${finishedAt - uploadedAt} ms, progress readings ${seen.size}`,
  );
  expect(seen.size).toBeGreaterThan(2);
  return done;
}

/** The audit records an import wrote for the donors of this file. */
const donorAudits = async () =>
  (
    await t.database.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log a JOIN donors d ON d.id = a.entity_id
        WHERE a.entity_type = 'donor' AND a.action = 'import' AND d.reference LIKE $1`,
      [`BIG-${s}-%`],
    )
  ).rows[0]!.n;

const donorChecksum = async () =>
  (
    await t.database.pool.query(
      `SELECT count(*)::int AS n,
              md5(string_agg(concat_ws('|', id, reference, first_name, last_name, phone, alt_phone, email, address_line1,
                  city, postcode, country, time_zone, language, do_not_call, deceased), ',' ORDER BY id)) AS sum
         FROM donors WHERE reference LIKE $1`,
      [`BIG-${s}-%`],
    )
  ).rows[0] as { n: number; sum: string };

describe('a 100,000-row CSV import through the API', () => {
  it('counts exactly what the file holds, and a second run changes nothing', async () => {
    expect(expected).toEqual({ created: 85_561, updated: 9_980, rejected: 2_300, duplicates: 2_159 });
    const list = await manager.createList(`Big import ${s}`);

    const first = await importFile(list.id);
    expect(first).toMatchObject({
      status: 'done',
      error: null,
      totalRows: N,
      processedRows: N,
      created: expected.created,
      updated: expected.updated,
      rejected: expected.rejected,
      duplicates: expected.duplicates,
    });

    // Donors as the rows said, values kept as written.
    const byRef = async (i: number) =>
      (
        await t.database.pool.query<Record<string, unknown>>(
          'SELECT first_name, last_name, phone, email, address_line1, country, time_zone FROM donors WHERE reference = $1',
          [ref(i)],
        )
      ).rows[0];
    expect(await byRef(5)).toMatchObject({ first_name: '=SUM(1)', phone: phoneE164(5) });
    expect(await byRef(25)).toMatchObject({ first_name: '+1' });
    expect(await byRef(14)).toMatchObject({ first_name: 'Jos\u00e9', last_name: 'Family14' });
    expect(await byRef(33)).toMatchObject({ last_name: 'Smith, 33', country: null, time_zone: 'Europe/London' });
    expect(await byRef(26)).toMatchObject({ address_line1: '1 High St\r\nFlat 26', country: 'GB' });
    expect(await byRef(9)).toMatchObject({ time_zone: 'Europe/Dublin' });
    // Updated: the file's values win, an empty cell keeps the donor's own.
    expect(await byRef(3)).toMatchObject({ first_name: 'Name3', email: 'd3@example.org', time_zone: 'Europe/London' });
    expect(await byRef(13)).toMatchObject({ first_name: 'Name13', email: 'old13@example.org' });
    // Not imported: bad phone, duplicate phone; the pre-existing donor no row named is untouched.
    expect(await byRef(7)).toBeUndefined();
    expect(await byRef(77)).toBeUndefined();
    expect(await byRef(4333)).toMatchObject({ first_name: 'Old', time_zone: 'Asia/Tokyo' });

    const members = await manager.call('GET', `/api/lists/${list.id}/members?pageSize=1`);
    expect(members.body.total).toBe(expected.created + expected.updated);
    // Every updated donor has its audit record, before and after, as a donor edit writes it.
    expect(await donorAudits()).toBe(expected.updated);
    const audit3 = await t.database.pool.query(
      `SELECT a.actor_id, a.before, a.after FROM audit_log a JOIN donors d ON d.id = a.entity_id
        WHERE a.entity_type = 'donor' AND d.reference = $1`,
      [ref(3)],
    );
    expect(audit3.rows).toEqual([
      {
        actor_id: manager.user.id,
        before: {
          first_name: 'Old',
          last_name: 'Donor',
          phone: null,
          email: 'old3@example.org',
          address_line1: null,
          city: null,
          country: null,
          time_zone: 'Asia/Tokyo',
        },
        after: {
          first_name: 'Name3',
          last_name: 'Family3',
          phone: phoneE164(3),
          email: 'd3@example.org',
          address_line1: '3 Long Road',
          city: 'Leeds',
          country: 'GB',
          time_zone: 'Europe/London',
        },
      },
    ]);

    // The error report: one line per refused or skipped row, in row order, with the file's row numbers.
    const report = await manager.raw(`/api/imports/${first.id}/errors`);
    const [, ...lines] = parseCsv(report.text);
    expect(lines).toHaveLength(expected.rejected + expected.duplicates);
    const line = (i: number) => lines.find((l) => l[0] === String(rowNumber(i)));
    expect(line(7)).toEqual([
      String(rowNumber(7)),
      ref(7),
      'phone',
      expect.stringMatching(/"12345" is not a valid/),
      'error',
    ]);
    expect(line(1011)).toEqual([
      String(rowNumber(1011)),
      '',
      'reference',
      expect.stringMatching(/reference is missing/),
      'error',
    ]);
    expect(line(999)![2]).toBe('email');
    expect(line(77)![3]).toBe(`Same phone number as row ${rowNumber(76)}: skipped as a duplicate.`);
    expect(line(62_500)![3]).toBe(`Same phone number as row ${rowNumber(59_500)}: skipped as a duplicate.`);
    expect(line(142)![3]).toBe(`Same reference as row ${rowNumber(141)}: skipped as a duplicate.`);
    expect(line(4321)).toEqual([
      String(rowNumber(4321)),
      ref(321),
      'reference',
      expect.stringMatching(/earlier row/),
      'error',
    ]);
    const numbers = lines.map((l) => Number(l[0]));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));

    // The same file again: nothing new, every imported row an update, nothing else changed.
    const before = await donorChecksum();
    const second = await importFile(list.id);
    expect(second).toMatchObject({
      status: 'done',
      processedRows: N,
      created: 0,
      updated: expected.created + expected.updated,
      rejected: expected.rejected,
      duplicates: expected.duplicates,
    });
    expect(await donorChecksum()).toEqual(before);
    expect(await donorAudits()).toBe(expected.updated); // nothing changed: no new records
    expect((await manager.call('GET', `/api/lists/${list.id}/members?pageSize=1`)).body.total).toBe(
      expected.created + expected.updated,
    );
  }, 120_000);
});
