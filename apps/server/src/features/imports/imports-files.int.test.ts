import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { signedIn } from '../../../test/agent';
import { createTestApp, type TestApp } from '../../../test/app';
import { createCampaign, createSettings, createTeam } from '../../../test/dialer-factories';
import { uniqueSuffix } from '../../../test/factories';
import { apiUser, parseCsv, type ApiUser } from '../../../test/lists-factories';

let t: TestApp;
let manager: ApiUser;
let s: Awaited<ReturnType<typeof createSettings>>;

beforeAll(async () => {
  t = await createTestApp();
  manager = await apiUser(t.app, t.database, 'manager');
  s = await createSettings(t.database.db);
});

async function importFile(listId: number, csv: string, mapping: Record<string, string>) {
  const up = await manager.upload(listId, 'phones.csv', csv);
  expect(up.status, JSON.stringify(up.body)).toBe(201);
  const started = await manager.call('POST', `/api/imports/${up.body.import.id}/start`, {
    mapping,
    defaultCountry: 'GB',
  });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  return {
    id: up.body.import.id as number,
    preview: up.body.preview,
    done: await manager.waitForImport(up.body.import.id),
  };
}

describe('an import with two phone columns', () => {
  it('keeps both numbers, calls the other one when the main one is missing, and says who cannot be called', async () => {
    const x = uniqueSuffix();
    const agent = await signedIn(t.app, t.database);
    const team = await createTeam(t.database.db, [agent.user.id]);
    const campaign = await createCampaign(t.database, { teamIds: [team.id], lists: [] });
    const list = await manager.createList();
    await t.database.pool.query('INSERT INTO campaign_lists (campaign_id, list_id) VALUES ($1, $2)', [
      campaign.id,
      list.id,
    ]);
    const csv = [
      'Ref,Name,Mobile,Telephone',
      `TEL-${x},Only Telephone,,020 7946 0018`, // 2: callable through the other phone
      `BAD-${x},Bad Mobile,12345,020 7946 0019`, // 3: kept with its good number; warning for the bad one
      `NONE-${x},No Phone,,`, // 4: kept, but no callable number
    ].join('\n');
    const { id, preview, done } = await importFile(list.id, csv, {
      reference: 'Ref',
      fullName: 'Name',
      phone: 'Mobile',
      altPhone: 'Telephone',
    });
    expect(preview.suggestedMapping).toMatchObject({ phone: 'Mobile', altPhone: 'Telephone' });
    expect(done).toMatchObject({ status: 'done', created: 3, rejected: 0, uncallable: 1, warnings: 2 });

    const donors = await t.database.pool.query<{ reference: string; phone: string | null; alt_phone: string | null }>(
      'SELECT reference, phone, alt_phone FROM donors WHERE reference LIKE $1 ORDER BY reference',
      [`%-${x}`],
    );
    expect(donors.rows).toEqual([
      { reference: `BAD-${x}`, phone: null, alt_phone: '+442079460019' },
      { reference: `NONE-${x}`, phone: null, alt_phone: null },
      { reference: `TEL-${x}`, phone: null, alt_phone: '+442079460018' },
    ]);

    // Called on their other phone, a donor is called in that number's zone (not UTC: the legal
    // window is in the donor's own time).
    const zones = await t.database.pool.query<{ time_zone: string }>(
      'SELECT time_zone FROM donors WHERE reference = $1',
      [`TEL-${x}`],
    );
    expect(zones.rows[0]!.time_zone).toBe('Europe/London');

    // The error report lists the warnings with their severity.
    const report = await manager.raw(`/api/imports/${id}/errors`);
    const [header, ...lines] = parseCsv(report.text);
    expect(header).toEqual(['row', 'reference', 'field', 'message', 'severity']);
    expect(lines.map((l) => [l[0], l[1], l[2], l[4]])).toEqual([
      ['3', `BAD-${x}`, 'phone', 'warning'],
      ['4', `NONE-${x}`, 'phone', 'warning'],
    ]);
    expect(lines[0]![3]).toMatch(/"12345" is not a valid phone number.*left out/);
    expect(lines[1]![3]).toMatch(/will not be called/);

    // The dialer offers the two donors with a number, on that number, and never the third.
    expect((await agent.openShift(s.jobRoleId)).status).toBe(201);
    expect((await agent.ready(team.id, campaign.id)).status).toBe(200);
    const dialled: string[] = [];
    for (let i = 0; i < 2; i++) {
      const next = await agent.next();
      expect(next.body.status, JSON.stringify(next.body)).toBe('offered');
      const started = await agent.start(next.body.offer.id);
      expect(started.status).toBe(200);
      expect(started.body.call.phoneDialled).toBe(next.body.offer.donor.phone);
      dialled.push(next.body.offer.donor.phone as string);
      expect((await agent.end(started.body.call.id, { endReasonId: s.end.final })).status).toBe(200);
    }
    expect(dialled.sort()).toEqual(['+442079460018', '+442079460019']);
    const after = await agent.next();
    expect(after.body.status).not.toBe('offered');

    // The list says how many of its donors will never be called.
    const shown = await manager.call('GET', `/api/lists/${list.id}`);
    expect(shown.body).toMatchObject({ donorCount: 3, uncallableCount: 1 });
    await t.database.pool.query('UPDATE donors SET phone = $1 WHERE reference = $2', ['+442079460020', `NONE-${x}`]);
    expect((await manager.call('GET', `/api/lists/${list.id}`)).body.uncallableCount).toBe(0);
  });

  it('refuses a row whose only number is not a phone number', async () => {
    const x = uniqueSuffix();
    const list = await manager.createList();
    const { done } = await importFile(list.id, `Ref,Mobile,Telephone\nONE-${x},12345,\n`, {
      reference: 'Ref',
      phone: 'Mobile',
      altPhone: 'Telephone',
    });
    expect(done).toMatchObject({ created: 0, rejected: 1, uncallable: 0, warnings: 0 });
  });
});

describe('common files', () => {
  it('reads a semicolon file as Excel saves it in Europe, and says so in the preview', async () => {
    const x = uniqueSuffix();
    const list = await manager.createList();
    const csv =
      '\ufeff' +
      [
        'Référence;Prénom;Nom;Téléphone;Don',
        `SC1-${x};José;"Smith, Jr.";06 12 34 56 78;12,50`,
        `SC2-${x};Anne;Durand;+33 6 12 34 56 79;3,00`,
      ].join('\r\n') +
      '\r\n';
    const up = await manager.upload(list.id, 'europe.csv', csv);
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body.preview.delimiter).toBe(';');
    expect(up.body.preview.headers).toEqual(['Référence', 'Prénom', 'Nom', 'Téléphone', 'Don']);
    expect(up.body.preview.rows[0]).toEqual([`SC1-${x}`, 'José', 'Smith, Jr.', '06 12 34 56 78', '12,50']);
    const started = await manager.call('POST', `/api/imports/${up.body.import.id}/start`, {
      mapping: { reference: 'Référence', firstName: 'Prénom', lastName: 'Nom', phone: 'Téléphone' },
      defaultCountry: 'FR',
    });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const done = await manager.waitForImport(up.body.import.id);
    expect(done).toMatchObject({ status: 'done', created: 2, rejected: 0 });
    const r = await t.database.pool.query('SELECT first_name, last_name, phone FROM donors WHERE reference = $1', [
      `SC1-${x}`,
    ]);
    expect(r.rows[0]).toEqual({ first_name: 'José', last_name: 'Smith, Jr.', phone: '+33612345678' });
  });

  it('reads a tab-separated file', async () => {
    const x = uniqueSuffix();
    const list = await manager.createList();
    const csv = ['Reference\tSurname\tPhone', `TB1-${x}\tSmith, Jr.\t020 7946 0020`].join('\n') + '\n';
    const { preview, done } = await importFile(list.id, csv, {
      reference: 'Reference',
      lastName: 'Surname',
      phone: 'Phone',
    });
    expect(preview.delimiter).toBe('\t');
    expect(done).toMatchObject({ status: 'done', created: 1, rejected: 0 });
    const r = await t.database.pool.query('SELECT last_name, phone FROM donors WHERE reference = $1', [`TB1-${x}`]);
    expect(r.rows[0]).toEqual({ last_name: 'Smith, Jr.', phone: '+442079460020' });
  });

  it('still reads a comma file whose cells hold semicolons', async () => {
    const list = await manager.createList();
    const up = await manager.upload(list.id, 'c.csv', 'ref,notes\nR1,"a;b;c"\n');
    expect(up.body.preview.delimiter).toBe(',');
    expect(up.body.preview.rows[0]).toEqual(['R1', 'a;b;c']);
  });

  it('reads a Windows-1252 file (older Excel), stores it as UTF-8 and says so in the preview', async () => {
    const x = uniqueSuffix();
    const list = await manager.createList();
    // As Excel's "CSV (Comma delimited)" saves it: Windows-1252, ';' in Europe, no BOM; € is 0x80.
    const csv = Buffer.from(
      [
        'Référence;Prénom;Nom;Téléphone;Notes',
        `WIN1-${x};Françoise;Müller;06 12 34 56 80;10 €`,
        `WIN2-${x};Jürgen;Ørsted;06 12 34 56 81;`,
      ].join('\r\n') + '\r\n',
      'latin1',
    );
    // Buffer.from(…, "latin1") keeps the low byte of € (U+20AC), 0xAC: Windows-1252 writes it as 0x80.
    csv[csv.indexOf(0xac)] = 0x80;
    const up = await manager.upload(list.id, 'excel-1252.csv', csv);
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body.import.encoding).toBe('windows-1252');
    expect(up.body.import.sizeBytes).toBe(csv.length);
    expect(up.body.preview.headers).toEqual(['Référence', 'Prénom', 'Nom', 'Téléphone', 'Notes']);
    expect(up.body.preview.rows[0]).toEqual([`WIN1-${x}`, 'Françoise', 'Müller', '06 12 34 56 80', '10 €']);
    const stored = await t.database.pool.query<{ storage_path: string }>(
      'SELECT storage_path FROM imports WHERE id = $1',
      [up.body.import.id],
    );
    expect(readFileSync(stored.rows[0]!.storage_path, 'utf8')).toContain('Françoise;Müller');

    const started = await manager.call('POST', `/api/imports/${up.body.import.id}/start`, {
      mapping: { reference: 'Référence', firstName: 'Prénom', lastName: 'Nom', phone: 'Téléphone' },
      defaultCountry: 'FR',
    });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    expect(await manager.waitForImport(up.body.import.id)).toMatchObject({ status: 'done', created: 2, rejected: 0 });
    const r = await t.database.pool.query(
      'SELECT reference, first_name, last_name FROM donors WHERE reference = ANY ($1) ORDER BY reference',
      [[`WIN1-${x}`, `WIN2-${x}`]],
    );
    expect(r.rows).toEqual([
      { reference: `WIN1-${x}`, first_name: 'Françoise', last_name: 'Müller' },
      { reference: `WIN2-${x}`, first_name: 'Jürgen', last_name: 'Ørsted' },
    ]);
  });

  it('reads a UTF-8 file as UTF-8 and drops its BOM from the stored file', async () => {
    const list = await manager.createList();
    const up = await manager.upload(list.id, 'bom.csv', '\ufeffref,name\nR1,Müller\n');
    expect(up.status).toBe(201);
    expect(up.body.import.encoding).toBe('utf-8');
    expect(up.body.preview.rows[0]).toEqual(['R1', 'Müller']);
    const stored = await t.database.pool.query<{ storage_path: string }>(
      'SELECT storage_path FROM imports WHERE id = $1',
      [up.body.import.id],
    );
    expect(readFileSync(stored.rows[0]!.storage_path, 'utf8')).toBe('ref,name\nR1,Müller\n');
  });

  it('refuses a file that is neither UTF-8 nor Windows-1252 with the fix, and keeps nothing', async () => {
    const list = await manager.createList();
    // 0x81 and 0x9d are not Windows-1252 characters (and not UTF-8 here).
    const res = await manager.upload(
      list.id,
      'other.csv',
      Buffer.from([...Buffer.from('ref,name\nR1,A'), 0x81, 0x9d, 0x0a]),
    );
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('unsupported_encoding');
    expect(res.body.message).toContain('Save the file as CSV UTF-8 in Excel: File > Save As > CSV UTF-8');
    const left = await t.database.pool.query('SELECT 1 FROM imports WHERE list_id = $1', [list.id]);
    expect(left.rowCount).toBe(0);
  });
});
