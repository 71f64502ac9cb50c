import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app';
import { uniqueSuffix } from '../../../test/factories';
import { apiUser, type ApiUser } from '../../../test/lists-factories';

let t: TestApp;
let uploader: ApiUser;
let otherManager: ApiUser;
let admin: ApiUser;

beforeAll(async () => {
  t = await createTestApp();
  uploader = await apiUser(t.app, t.database, 'manager');
  otherManager = await apiUser(t.app, t.database, 'manager');
  admin = await apiUser(t.app, t.database, 'admin');
});

async function storagePath(importId: number): Promise<string | null> {
  const r = await t.database.pool.query<{ storage_path: string | null }>(
    'SELECT storage_path FROM imports WHERE id = $1',
    [importId],
  );
  return r.rows[0]?.storage_path ?? null;
}

async function uploadOne(by: ApiUser, csv: string) {
  const list = await by.createList();
  const up = await by.upload(list.id, 'later.csv', csv);
  expect(up.status, JSON.stringify(up.body)).toBe(201);
  return { listId: list.id, id: up.body.import.id as number };
}

describe('an upload never started', () => {
  it('is resumed by its uploader: the preview and mapping again, then startImport; another manager is refused', async () => {
    const x = uniqueSuffix();
    const { id } = await uploadOne(uploader, `Reference,Name,Phone\nRES-${x},Ann Smith,020 7946 0051\n`);

    for (const [method, url, body] of [
      ['GET', `/api/imports/${id}/preview`, undefined],
      ['POST', `/api/imports/${id}/start`, { mapping: { reference: 'Reference' }, defaultCountry: 'GB' }],
      ['DELETE', `/api/imports/${id}`, undefined],
    ] as const) {
      const res = await otherManager.call(method, url, body);
      expect(res.status, `${method} ${url}`).toBe(403);
      expect(res.body.code).toBe('forbidden');
      expect(res.body.message).toMatch(/Only the manager who uploaded this file, or an administrator/);
    }
    const path = await storagePath(id);
    expect(path && fs.existsSync(path)).toBe(true);
    expect((await uploader.call('GET', `/api/imports/${id}`)).body.status).toBe('uploaded');

    const resumed = await uploader.call('GET', `/api/imports/${id}/preview`);
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(200);
    expect(resumed.body.import).toMatchObject({ id, status: 'uploaded', uploadedBy: uploader.user.id });
    expect(resumed.body.preview.headers).toEqual(['Reference', 'Name', 'Phone']);
    expect(resumed.body.preview.rows).toEqual([[`RES-${x}`, 'Ann Smith', '020 7946 0051']]);
    expect(resumed.body.preview.suggestedMapping).toEqual({ reference: 'Reference', fullName: 'Name', phone: 'Phone' });

    const started = await uploader.call('POST', `/api/imports/${id}/start`, {
      mapping: resumed.body.preview.suggestedMapping,
      defaultCountry: 'GB',
    });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    expect(await uploader.waitForImport(id)).toMatchObject({ status: 'done', created: 1 });
    // Once it has run, it is kept with its report.
    const late = await uploader.call('DELETE', `/api/imports/${id}`);
    expect(late.status).toBe(409);
    expect(late.body.message).toMatch(/already run/);
    expect((await uploader.call('GET', `/api/imports/${id}/preview`)).status).toBe(409);
  });

  it('is deleted by its uploader: row and stored file gone, the deletion audited on the list', async () => {
    const csv = 'Reference,Name\nDEL-1,Ann\n';
    const { id, listId } = await uploadOne(uploader, csv);
    const path = (await storagePath(id))!;
    expect(fs.existsSync(path)).toBe(true);

    const res = await uploader.call('DELETE', `/api/imports/${id}`);
    expect(res.status, JSON.stringify(res.body)).toBe(204);
    expect(fs.existsSync(path)).toBe(false);
    expect((await uploader.call('GET', `/api/imports/${id}`)).status).toBe(404);
    expect((await uploader.call('GET', `/api/lists/${listId}/imports`)).body.imports).toEqual([]);
    const audit = await t.database.pool.query(
      `SELECT actor_id, before FROM audit_log WHERE entity_type = 'list' AND entity_id = $1 AND action = 'import_deleted'`,
      [listId],
    );
    expect(audit.rows).toEqual([
      {
        actor_id: uploader.user.id,
        before: {
          importId: id,
          fileName: 'later.csv',
          sizeBytes: Buffer.byteLength(csv),
          uploadedBy: uploader.user.id,
        },
      },
    ]);
    expect((await uploader.call('DELETE', `/api/imports/${id}`)).status).toBe(404);
  });

  it("an administrator may delete a manager's upload", async () => {
    const { id } = await uploadOne(otherManager, 'Reference\nADM-1\n');
    const path = (await storagePath(id))!;
    expect((await admin.call('DELETE', `/api/imports/${id}`)).status).toBe(204);
    expect(fs.existsSync(path)).toBe(false);
  });
});
