import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app';
import { createCampaign, createTeam } from '../../../test/dialer-factories';
import { uniqueSuffix } from '../../../test/factories';
import {
  addToList,
  apiUser,
  insertDonors,
  makeLeader,
  multipartFile,
  parseCsv,
  type ApiUser,
} from '../../../test/lists-factories';

const uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'engage-imports-'));
let t: TestApp;
let manager: ApiUser;

beforeAll(async () => {
  t = await createTestApp({ env: { UPLOAD_DIR: uploadDir } });
  manager = await apiUser(t.app, t.database, 'manager');
  return () => fs.rmSync(uploadDir, { recursive: true, force: true });
});

const BOM = '\ufeff';
const crlf = (lines: string[]) => BOM + lines.join('\r\n') + '\r\n';

async function startAndWait(importId: number, mapping: Record<string, string>, defaultCountry = 'GB') {
  const started = await manager.call('POST', `/api/imports/${importId}/start`, { mapping, defaultCountry });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  expect(started.body.status).toBe('running');
  return manager.waitForImport(importId);
}

describe('upload', () => {
  it('keeps the file under UPLOAD_DIR, answers a preview of ten rows and a suggested mapping', async () => {
    const list = await manager.createList();
    const rows = Array.from(
      { length: 12 },
      (_, i) =>
        `R${i},Ann${i},Smith,07400 10000${i % 10},+33 6 12 34 56 7${i % 10},a${i}@x.org,1 High St,Leeds,LS1 1AA,GB,Europe/London,en`,
    );
    const csv = crlf([
      'Donor ID,First Name,Surname,Mobile,Telephone,E-mail,Address,Town,Zip,Country,Time zone,Language',
      ...rows,
    ]);
    const res = await manager.upload(list.id, 'Spring appeal (final).csv', csv);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.import).toMatchObject({
      listId: list.id,
      fileName: 'Spring appeal (final).csv',
      status: 'uploaded',
      totalRows: 12,
      processedRows: 0,
      sizeBytes: Buffer.byteLength(csv),
    });
    expect(res.body.preview.headers[0]).toBe('Donor ID'); // the BOM is not part of the header
    expect(res.body.preview.rows).toHaveLength(10);
    expect(res.body.preview.rows[0]).toEqual(rows[0]!.split(','));
    expect(res.body.preview.suggestedMapping).toEqual({
      reference: 'Donor ID',
      firstName: 'First Name',
      lastName: 'Surname',
      phone: 'Mobile',
      altPhone: 'Telephone',
      email: 'E-mail',
      addressLine1: 'Address',
      city: 'Town',
      postcode: 'Zip',
      country: 'Country',
      timeZone: 'Time zone',
      language: 'Language',
    });
    const stored = await t.database.pool.query('SELECT storage_path FROM imports WHERE id = $1', [res.body.import.id]);
    const storagePath = stored.rows[0].storage_path as string;
    expect(path.dirname(storagePath)).toBe(uploadDir);
    expect(fs.readFileSync(storagePath, 'utf8')).toBe(csv.slice(BOM.length)); // stored as UTF-8 without its BOM
  });

  it('names repeated and empty headers so that each column can be mapped', async () => {
    const list = await manager.createList();
    const res = await manager.upload(list.id, 'h.csv', 'Phone,Phone,,ref\nx,y,z,1\n');
    expect(res.status).toBe(201);
    expect(res.body.preview.headers).toEqual(['Phone', 'Phone (2)', 'Column 3', 'ref']);
  });

  it('reads a Latin-1 file as Windows-1252 (its superset) instead of refusing it', async () => {
    const list = await manager.createList();
    const latin1 = Buffer.from('reference,first_name\r\nR1,Jos\xe9\r\nR2,Ren\xe9e\r\n', 'latin1');
    const res = await manager.upload(list.id, 'latin1.csv', latin1);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.import.encoding).toBe('windows-1252');
    expect(res.body.preview.rows).toEqual([
      ['R1', 'José'],
      ['R2', 'Renée'],
    ]);
  });

  it('refuses a UTF-16 file (415) with the fix, and leaves nothing behind', async () => {
    const list = await manager.createList();
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('reference,name\r\nR1,Ann\r\n', 'utf16le')]);
    const before = fs.readdirSync(uploadDir).length;
    const res = await manager.upload(list.id, 'u16.csv', utf16);
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('unsupported_encoding');
    expect(res.body.message).toContain('Save the file as CSV UTF-8 in Excel: File > Save As > CSV UTF-8');
    expect(fs.readdirSync(uploadDir).length).toBe(before);
  });

  it('refuses an empty file, a header without rows, and an Excel workbook (400 csv_invalid)', async () => {
    const list = await manager.createList();
    for (const [name, content] of [
      ['empty.csv', ''],
      ['header.csv', 'reference,first_name\r\n'],
      ['book.xlsx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00])],
    ] as const) {
      const res = await manager.upload(list.id, name, content);
      expect(res.status, name).toBe(400);
      expect(res.body.code).toBe('csv_invalid');
    }
  });

  it('answers 400 for an upload cut short', async () => {
    const list = await manager.createList();
    const { payload, headers } = multipartFile('cut.csv', 'reference,name\r\nR1,Ann\r\n');
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/lists/${list.id}/imports`,
      headers: { cookie: manager.cookie, ...headers },
      payload: payload.subarray(0, payload.length - 30),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/did not arrive whole/);
  });

  it('answers 404 for a list that does not exist, and 415 for a body that is not multipart', async () => {
    expect((await manager.upload(99999999, 'a.csv', 'reference\nR1\n')).status).toBe(404);
    const res = await manager.call('POST', '/api/lists/1/imports', { file: 'x' });
    expect(res.status).toBe(415);
  });

  it('over IMPORT_MAX_BYTES: 413 payload_too_large, while streaming and from Content-Length', async () => {
    const small = await createTestApp({
      database: t.database,
      env: { UPLOAD_DIR: uploadDir, IMPORT_MAX_BYTES: '2000' },
    });
    const m = await apiUser(small.app, t.database, 'manager');
    const list = await m.createList();
    const before = fs.readdirSync(uploadDir).length;
    const rows = Array.from({ length: 200 }, (_, i) => `R${i},Name${i}`).join('\n');
    const streamed = await m.upload(list.id, 'big.csv', `reference,first_name\n${rows}\n`);
    expect(streamed.status).toBe(413);
    expect(streamed.body.code).toBe('payload_too_large');
    expect(streamed.body.message).toMatch(/larger than the 2 KB an import accepts/);
    expect(streamed.body.message).toMatch(/Split it into smaller files/);

    const { payload, headers } = multipartFile('huge.csv', Buffer.alloc(1_200_000, 'a'));
    const declared = await small.app.inject({
      method: 'POST',
      url: `/api/lists/${list.id}/imports`,
      headers: { cookie: m.cookie, ...headers },
      payload,
    });
    expect(declared.statusCode).toBe(413);
    expect(declared.json().code).toBe('payload_too_large');
    expect(fs.readdirSync(uploadDir).length).toBe(before);
  });
});

describe('startImport', () => {
  it('checks the mapping (a reference, phone or email column) and the default country', async () => {
    const list = await manager.createList();
    const up = await manager.upload(list.id, 'm.csv', 'ref,name,phone\r\nR1,Ann,07400 100001\r\n');
    const id = up.body.import.id;
    const res = await manager.call('POST', `/api/imports/${id}/start`, {
      mapping: { fullName: 'name', city: 'Town' },
      defaultCountry: 'XX',
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'body.defaultCountry',
      'body.mapping.city',
      'body.mapping.reference',
    ]);
    const noPhoneColumn = await manager.call('POST', `/api/imports/${id}/start`, {
      mapping: { fullName: 'name', phone: 'Telephone' },
      defaultCountry: 'GB',
    });
    expect(noPhoneColumn.body.issues).toEqual([
      { path: 'body.mapping.phone', message: 'The file has no column "Telephone"' },
    ]);
    expect((await manager.call('GET', `/api/imports/${id}`)).body.status).toBe('uploaded');
    expect(
      (await manager.call('POST', '/api/imports/99999999/start', { mapping: {}, defaultCountry: 'GB' })).status,
    ).toBe(404);
  });

  it('imports a file by the rules: validation, de-duplication, updates, list membership, errors, counts', async () => {
    const s = uniqueSuffix();
    const [existing] = await insertDonors(t.database.db, [
      { reference: `EX-${s}`, firstName: 'Old', lastName: 'Name', email: 'keep@example.org', phone: '+442079460018' },
    ]);
    const list = await manager.createList();
    await addToList(t.database, list.id, [existing!.id]); // on the manager's list: theirs to update
    const team = await createTeam(t.database.db, []);
    const campaign = await createCampaign(t.database, { teamIds: [team.id], lists: [] });
    await t.database.pool.query('INSERT INTO campaign_lists (campaign_id, list_id) VALUES ($1, $2)', [
      campaign.id,
      list.id,
    ]);
    const lines = [
      'Reference,First name,Last name,Phone,Email,Country,Time zone,Notes',
      `A-${s},Jose\u0301,García,07400 200001,ana@example.org,,,`, // 2: created, NFC, zone from phone
      `B-${s},=SUM(1),+1,+1 202 555 0143,,US,,`, // 3: created, formula values kept, zone from country
      `C-${s},Ann,"Smith, Jr.",07400 200003,,,Asia/Tokyo,`, // 4: created, zone from its column
      `D-${s},Bad,Phone,12345,,,,`, // 5: rejected (phone)
      `E-${s},Dup,Phone,+44 7400 200001,,,,`, // 6: duplicate (phone of row 2)
      `A-${s},Dup,Reference,07400 200007,,,,`, // 7: duplicate (reference of row 2)
      `,No,Reference,07400 200008,,,,`, // 8: rejected (reference)
      '', // 9: blank line: not a row
      `EX-${s},New,,,,,,`, // 10: updates the existing donor; empty cells keep what it has
      `F-${s},Bad,Zone,07400 200011,not-an-email,,Mars/Base,`, // 11: rejected (email and zone)
      `G-${s},Short`, // 12: short row: created, missing cells empty
    ];
    const up = await manager.upload(list.id, 'rules.csv', crlf(lines));
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body.import.totalRows).toBe(10);
    const mapping = {
      reference: 'Reference',
      firstName: 'First name',
      lastName: 'Last name',
      phone: 'Phone',
      email: 'Email',
      country: 'Country',
      timeZone: 'Time zone',
    };
    expect(up.body.preview.suggestedMapping).toEqual(mapping);
    const done = await startAndWait(up.body.import.id, mapping);
    expect(done).toMatchObject({
      status: 'done',
      processedRows: 10,
      totalRows: 10,
      created: 4,
      updated: 1,
      rejected: 3,
      duplicates: 2,
      uncallable: 1,
      warnings: 1,
      error: null,
    });
    expect(done.durationMs).toBeGreaterThanOrEqual(0);

    const byRef = async (ref: string) =>
      (
        await t.database.pool.query<Record<string, unknown>>(
          'SELECT id, first_name, last_name, phone, email, country, time_zone FROM donors WHERE reference = $1',
          [ref],
        )
      ).rows[0];
    expect(await byRef(`A-${s}`)).toMatchObject({
      first_name: 'Jos\u00e9',
      last_name: 'García',
      phone: '+447400200001',
      email: 'ana@example.org',
      time_zone: 'Europe/London',
    });
    expect(await byRef(`B-${s}`)).toMatchObject({
      first_name: '=SUM(1)',
      last_name: '+1',
      phone: '+12025550143',
      country: 'US',
      time_zone: 'America/New_York',
    });
    expect(await byRef(`C-${s}`)).toMatchObject({ last_name: 'Smith, Jr.', time_zone: 'Asia/Tokyo' });
    expect(await byRef(`D-${s}`)).toBeUndefined();
    expect(await byRef(`E-${s}`)).toBeUndefined();
    expect(await byRef(`G-${s}`)).toMatchObject({ first_name: 'Short', last_name: '', phone: null });
    expect(await byRef(`EX-${s}`)).toMatchObject({
      id: existing!.id,
      first_name: 'New',
      last_name: 'Name',
      email: 'keep@example.org',
      phone: '+442079460018',
    });

    const members = await manager.call('GET', `/api/lists/${list.id}/members?pageSize=50`);
    expect(members.body.total).toBe(5);
    // The campaign fed by the list got the new donors.
    const queued = await t.database.pool.query(
      'SELECT count(*)::int AS n FROM campaign_donors WHERE campaign_id = $1',
      [campaign.id],
    );
    expect(queued.rows[0].n).toBe(5);

    const report = await manager.raw(`/api/imports/${up.body.import.id}/errors`);
    expect(report.status).toBe(200);
    expect(report.headers['content-type']).toMatch(/^text\/csv/);
    expect(report.headers['content-disposition']).toMatch(/filename="rules-errors\.csv"/);
    const [header, ...errs] = parseCsv(report.text);
    expect(header).toEqual(['row', 'reference', 'field', 'message', 'severity']);
    expect(errs.map((e) => [e[0], e[2], e[4]])).toEqual([
      ['5', 'phone', 'error'],
      ['6', 'phone', 'error'],
      ['7', 'reference', 'error'],
      ['8', 'reference', 'error'],
      ['11', 'email', 'error'],
      ['11', 'timeZone', 'error'],
      ['12', 'phone', 'warning'], // imported with no phone: will not be called
    ]);
    expect(errs[0]![3]).toMatch(/"12345" is not a valid phone number/);
    expect(errs[1]![3]).toMatch(/Same phone number as row 2/);
    expect(errs[2]![3]).toMatch(/Same reference as row 2/);

    const audit = await t.database.db.execute(
      sql`select action, after from audit_log where entity_type = 'list' and entity_id = ${list.id} order by id`,
    );
    expect(audit.rows.map((r) => r.action as string)).toEqual(['create', 'import_started', 'import']);
    expect((audit.rows[2] as any).after).toMatchObject({
      created: 4,
      updated: 1,
      rejected: 3,
      duplicates: 2,
      outOfReach: 0,
    });
    // The updated donor's own trail: the changed field, before and after.
    const donorAudit = await t.database.db.execute(
      sql`select action, actor_id, before, after from audit_log where entity_type = 'donor' and entity_id = ${existing!.id}`,
    );
    expect(donorAudit.rows).toEqual([
      { action: 'import', actor_id: manager.user.id, before: { first_name: 'Old' }, after: { first_name: 'New' } },
    ]);

    // The file is gone once imported; the import cannot run twice.
    const again = await manager.call('POST', `/api/imports/${up.body.import.id}/start`, {
      mapping,
      defaultCountry: 'GB',
    });
    expect(again.status).toBe(409);
    const listed = await manager.call('GET', `/api/lists/${list.id}/imports`);
    expect(listed.body.imports[0]).toMatchObject({ id: up.body.import.id, status: 'done', fileName: 'rules.csv' });

    // The same file a second time changes nothing: every row now updates.
    const up2 = await manager.upload(list.id, 'rules.csv', crlf(lines));
    const done2 = await startAndWait(up2.body.import.id, mapping);
    expect(done2).toMatchObject({ created: 0, updated: 5, rejected: 3, duplicates: 2 });
  });

  it('neutralises formula-looking cells in the error report', async () => {
    const list = await manager.createList();
    const up = await manager.upload(list.id, 'f.csv', 'ref,phone\r\n=HYPERLINK("x"),+1 555\r\n@evil,-12\r\n');
    const done = await startAndWait(up.body.import.id, { reference: 'ref', phone: 'phone' });
    expect(done.rejected).toBe(2);
    const report = await manager.raw(`/api/imports/${up.body.import.id}/errors`);
    const [, ...errs] = parseCsv(report.text);
    expect(errs.map((e) => e[1])).toEqual(['\'=HYPERLINK("x")', "'@evil"]);
    for (const e of errs) for (const cell of e) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(errs[0]![3]).toMatch(/^'?"\+1 555" is not a valid phone number/);
  });

  it('an import stopped by a shutdown is marked failed and can be started again', async () => {
    const s = uniqueSuffix();
    const other = await createTestApp({ database: t.database, env: { UPLOAD_DIR: uploadDir } });
    const m = await apiUser(other.app, t.database, 'manager');
    // Only the uploader (or an administrator) starts it again, on this instance; they made the
    // list, so the donors the first run wrote are theirs too.
    const asM = async (method: 'GET' | 'POST', url: string, payload?: object) => {
      const res = await t.app.inject({ method, url, headers: { cookie: m.cookie }, ...(payload ? { payload } : {}) });
      return { status: res.statusCode, body: res.json() };
    };
    const list = await m.createList();
    // A letter between the suffix's digits and the row's: no reference is a run of 12+ digits
    // that could pass for a card number (and be rejected).
    const rows = Array.from({ length: 20_000 }, (_, i) => `Z${s}-R${i},Name${i}`).join('\r\n');
    const up = await m.upload(list.id, 'stop.csv', `ref,name\r\n${rows}\r\n`);
    const mapping = { reference: 'ref', firstName: 'name' };
    expect(
      (await m.call('POST', `/api/imports/${up.body.import.id}/start`, { mapping, defaultCountry: 'GB' })).status,
    ).toBe(202);
    await other.app.close();
    const stopped = await manager.call('GET', `/api/imports/${up.body.import.id}`);
    expect(stopped.body).toMatchObject({ status: 'failed', error: expect.stringMatching(/server was stopped/) });
    expect(stopped.body.processedRows).toBeLessThan(20_000);

    // Another manager may not start someone else's import again.
    expect(
      (await manager.call('POST', `/api/imports/${up.body.import.id}/start`, { mapping, defaultCountry: 'GB' })).status,
    ).toBe(403);
    const again = await asM('POST', `/api/imports/${up.body.import.id}/start`, { mapping, defaultCountry: 'GB' });
    expect(again.status, JSON.stringify(again.body)).toBe(202);
    const done = await manager.waitForImport(up.body.import.id);
    expect(done).toMatchObject({ status: 'done', processedRows: 20_000, rejected: 0, duplicates: 0 });
    expect(done.created + done.updated).toBe(20_000);
    expect((await asM('GET', `/api/lists/${list.id}`)).body.donorCount).toBe(20_000);
  });

  it('marks imports left running by a process that is gone as failed at start-up', async () => {
    const list = await manager.createList();
    const r = await t.database.pool.query(
      `INSERT INTO imports (list_id, file_name, size_bytes, status, started_at) VALUES ($1, 'y.csv', 10, 'running', now()) RETURNING id`,
      [list.id],
    );
    await createTestApp({ database: t.database, env: { UPLOAD_DIR: uploadDir } });
    const row = await t.database.pool.query('SELECT status, error FROM imports WHERE id = $1', [r.rows[0].id]);
    expect(row.rows[0]).toMatchObject({ status: 'failed', error: expect.stringMatching(/Start it again/) });
  });

  it('marks an import left running by a process that is gone as failed when it is read', async () => {
    const list = await manager.createList();
    const r = await t.database.pool.query(
      `INSERT INTO imports (list_id, file_name, size_bytes, status, started_at) VALUES ($1, 'x.csv', 10, 'running', now()) RETURNING id`,
      [list.id],
    );
    const got = await manager.call('GET', `/api/imports/${r.rows[0].id}`);
    expect(got.status).toBe(200);
    expect(got.body.status).toBe('failed');
    expect(got.body.error).toMatch(/stopped before it finished\. Start it again/);
  });

  it("a manager's import changes only donors their work reaches; the rest are reported, untouched and left off the list", async () => {
    const s = uniqueSuffix();
    const managerA = await apiUser(t.app, t.database, 'manager');
    const managerB = await apiUser(t.app, t.database, 'manager');
    const admin = await apiUser(t.app, t.database, 'admin');
    const teamA = await createTeam(t.database.db, []);
    const teamB = await createTeam(t.database.db, []);
    await makeLeader(t.database, managerA.user.id, teamA.id);
    await makeLeader(t.database, managerB.user.id, teamB.id);
    const [ofA, ofB] = await insertDonors(t.database.db, [
      { reference: `TA-${s}`, firstName: 'Alice', lastName: 'Archer', phone: '+442079460301' },
      { reference: `TB-${s}`, firstName: 'Bob', lastName: 'Baker', phone: '+442079460302' },
    ]);
    await createCampaign(t.database, { teamIds: [teamA.id], lists: [{ donorIds: [ofA!.id] }] });
    await createCampaign(t.database, { teamIds: [teamB.id], lists: [{ donorIds: [ofB!.id] }] });
    const bsList = await managerB.createList();
    const mapping = { reference: 'ref', firstName: 'first', phone: 'phone' };
    const file = crlf([
      'ref,first,phone',
      `TA-${s},Mallory,07400 300001`, // 2: team A's donor: not B's to change
      `TB-${s},Robert,07400 300002`, // 3: team B's donor: updated
      `NEW-${s},Nina,07400 300003`, // 4: new: created
    ]);

    const up = await managerB.upload(bsList.id, 'mixed.csv', file);
    const started = await managerB.call('POST', `/api/imports/${up.body.import.id}/start`, {
      mapping,
      defaultCountry: 'GB',
    });
    expect(started.status).toBe(202);
    const done = await managerB.waitForImport(up.body.import.id);
    expect(done).toMatchObject({ status: 'done', created: 1, updated: 1, rejected: 1, duplicates: 0 });

    const donor = async (id: number) =>
      (
        await t.database.pool.query<{ first_name: string; phone: string | null }>(
          'SELECT first_name, phone FROM donors WHERE id = $1',
          [id],
        )
      ).rows[0];
    expect(await donor(ofA!.id)).toEqual({ first_name: 'Alice', phone: '+442079460301' });
    expect(await donor(ofB!.id)).toEqual({ first_name: 'Robert', phone: '+447400300002' });
    const members = await managerB.call('GET', `/api/lists/${bsList.id}/members?pageSize=10`);
    expect(members.body.members.map((m: { reference: string }) => m.reference).sort()).toEqual([`NEW-${s}`, `TB-${s}`]);
    const inList = await t.database.pool.query('SELECT 1 FROM list_members WHERE list_id = $1 AND donor_id = $2', [
      bsList.id,
      ofA!.id,
    ]);
    expect(inList.rowCount).toBe(0);

    // The error report says what happened to the row and what to do.
    const report = await managerB.raw(`/api/imports/${up.body.import.id}/errors`);
    const [, ...errs] = parseCsv(report.text);
    expect(errs).toEqual([
      [
        '2',
        `TA-${s}`,
        'reference',
        expect.stringMatching(
          /not on your lists or your teams' campaigns.*did not change the donor or add it to this list.*Ask an administrator or the donor's team manager/,
        ),
        'error',
      ],
    ]);
    const listAudit = await t.database.db.execute(
      sql`select after from audit_log where entity_type = 'list' and entity_id = ${bsList.id} and action = 'import'`,
    );
    expect((listAudit.rows[0] as any).after).toMatchObject({ created: 1, updated: 1, rejected: 1, outOfReach: 1 });

    // Team A's donor has no trail; team B's shows the change as a donor edit does, to B and to an admin.
    expect((await admin.call('GET', `/api/audit?entityType=donor&entityId=${ofA!.id}`)).body.entries).toEqual([]);
    for (const reader of [managerB, admin]) {
      const trail = await reader.call('GET', `/api/audit?entityType=donor&entityId=${ofB!.id}`);
      expect(trail.status).toBe(200);
      expect(trail.body.entries).toEqual([
        {
          id: expect.any(Number),
          at: expect.any(String),
          action: 'import',
          actor: { id: managerB.user.id, name: managerB.user.name },
          before: { first_name: 'Bob', phone: '+442079460302' },
          after: { first_name: 'Robert', phone: '+447400300002' },
        },
      ]);
    }

    // Team A's manager, and an administrator, may change team A's donor by import.
    const aList = await managerA.createList();
    const upA = await managerA.upload(aList.id, 'a.csv', crlf(['ref,first,phone', `TA-${s},Alicia,`]));
    await managerA.call('POST', `/api/imports/${upA.body.import.id}/start`, { mapping, defaultCountry: 'GB' });
    expect(await managerA.waitForImport(upA.body.import.id)).toMatchObject({ updated: 1, rejected: 0 });
    const adminList = await admin.createList();
    const upAdmin = await admin.upload(adminList.id, 'admin.csv', crlf(['ref,first,phone', `TA-${s},Ally,`]));
    await admin.call('POST', `/api/imports/${upAdmin.body.import.id}/start`, { mapping, defaultCountry: 'GB' });
    expect(await admin.waitForImport(upAdmin.body.import.id)).toMatchObject({ updated: 1, rejected: 0 });
    expect(await donor(ofA!.id)).toEqual({ first_name: 'Ally', phone: '+442079460301' });
    const trailA = await managerA.call('GET', `/api/audit?entityType=donor&entityId=${ofA!.id}`);
    const entries = trailA.body.entries as {
      actor: { id: number };
      before: { first_name: string };
      after: { first_name: string };
    }[];
    expect(entries.map((e) => [e.actor.id, e.before.first_name, e.after.first_name])).toEqual([
      [admin.user.id, 'Alicia', 'Ally'],
      [managerA.user.id, 'Alice', 'Alicia'],
    ]);
  });
});
