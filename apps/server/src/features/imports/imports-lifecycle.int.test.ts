import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, testClock, type TestApp } from '../../../test/app';
import { apiUser, type ApiUser } from '../../../test/lists-factories';
import { createImportsService } from './imports.service';

/**
 * What an import costs the server while it waits or runs: uploads not imported in time are
 * deleted, and only a few imports run at once, per instance and per person.
 */
const uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'engage-imports-life-'));
const clock = testClock(new Date('2026-05-04T09:00:00Z'));
let t: TestApp;
let manager: ApiUser;

beforeAll(async () => {
  t = await createTestApp({
    now: clock.now,
    env: {
      UPLOAD_DIR: uploadDir,
      IMPORT_UPLOAD_EXPIRY_HOURS: '24',
      IMPORTS_MAX_RUNNING: '2',
      IMPORTS_MAX_RUNNING_PER_USER: '1',
      // The clock moves a day: sessions outlast it.
      SESSION_IDLE_MINUTES: '10000',
      SESSION_ABSOLUTE_HOURS: '1000',
    },
  });
  manager = await apiUser(t.app, t.database, 'manager');
  return () => fs.rmSync(uploadDir, { recursive: true, force: true });
});

/**
 * Unique references in letters: a reference with a long run of digits can pass for a card number
 * and be rejected, and an import whose rows are all rejected never waits on the test's lock.
 */
const letters = () =>
  randomBytes(8)
    .toString('hex')
    .replace(/[0-9]/g, (d) => 'ghijklmnop'[Number(d)]!);
const csv = () => {
  const ref = letters();
  return `ref,name\r\n${ref}-a,Ann\r\n${ref}-b,Bob\r\n${ref}-c,Cy\r\n`;
};
const mapping = { reference: 'ref', firstName: 'name' };

async function storagePath(importId: number): Promise<string | null> {
  const r = await t.database.pool.query<{ storage_path: string | null }>(
    'SELECT storage_path FROM imports WHERE id = $1',
    [importId],
  );
  return r.rows[0]!.storage_path;
}

describe('uploads not imported in time', () => {
  it('are deleted after IMPORT_UPLOAD_EXPIRY_HOURS, their import marked expired with what to do; recent ones stay', async () => {
    const list = await manager.createList();
    const neverStarted = (await manager.upload(list.id, 'never.csv', csv())).body.import.id as number;
    const failed = (await manager.upload(list.id, 'failed.csv', csv())).body.import.id as number;
    const failedFile = (await storagePath(failed))!;
    await t.database.pool.query(
      `UPDATE imports SET status = 'failed', error = 'stopped', started_at = $2, finished_at = $2 WHERE id = $1`,
      [failed, clock.now()],
    );
    const neverFile = (await storagePath(neverStarted))!;
    // A file no import refers to any more (its list was deleted), and one that is still recent.
    const orphan = path.join(uploadDir, `import-${randomUUID()}.csv`);
    const recentOrphan = path.join(uploadDir, `import-${randomUUID()}.csv`);
    fs.writeFileSync(orphan, 'ref\r\nX\r\n');
    fs.writeFileSync(recentOrphan, 'ref\r\nY\r\n');
    const longAgo = new Date(clock.now().getTime() - 3_600_000);
    fs.utimesSync(orphan, longAgo, longAgo);

    clock.advance(23 * 3_600_000);
    const recent = (await manager.upload(list.id, 'recent.csv', csv())).body.import.id as number;
    fs.utimesSync(recentOrphan, clock.now(), clock.now());
    clock.advance(2 * 3_600_000); // 25 h after the first uploads, 2 h after the recent one

    // The same sweep the server runs at start-up and every ten minutes.
    const sweeper = createImportsService({
      db: t.database.db,
      now: clock.now,
      config: t.config,
      dialer: { syncListQueues: async () => {}, donorsChanged: async () => {} }, // the sweep imports nothing
      log: t.app.log,
    });
    expect(await sweeper.expireUploads()).toEqual({ expired: 2, orphans: 1 });

    for (const id of [neverStarted, failed]) {
      const got = await manager.call('GET', `/api/imports/${id}`);
      expect(got.body).toMatchObject({
        status: 'expired',
        error:
          'This upload was not imported within 24 hours, so its file was deleted. Upload the file again to import it.',
      });
      const again = await manager.call('POST', `/api/imports/${id}/start`, { mapping, defaultCountry: 'GB' });
      expect(again.status).toBe(409);
      expect(again.body.message).toMatch(/Upload the file again/);
    }
    expect(fs.existsSync(neverFile)).toBe(false);
    expect(fs.existsSync(failedFile)).toBe(false);
    expect(fs.existsSync(orphan)).toBe(false);
    expect(fs.existsSync(recentOrphan)).toBe(true);
    const list2 = await manager.call('GET', `/api/lists/${list.id}/imports`);
    expect(list2.body.imports.map((i: { id: number; status: string }) => [i.id, i.status])).toEqual([
      [recent, 'uploaded'],
      [failed, 'expired'],
      [neverStarted, 'expired'],
    ]);
    expect(fs.existsSync((await storagePath(recent))!)).toBe(true);
    // Nothing more to do the next time.
    expect(await sweeper.expireUploads()).toEqual({ expired: 0, orphans: 0 });
  });
});

describe('imports running at once', () => {
  it('are capped per person and per instance with 429 and when to retry; the refused ones start later', async () => {
    const [a, b, c] = [
      manager,
      await apiUser(t.app, t.database, 'manager'),
      await apiUser(t.app, t.database, 'manager'),
    ];
    const lists = await Promise.all([a.createList(), b.createList(), c.createList(), a.createList()]);
    const ids: number[] = [];
    for (const [i, u] of [a, b, c, a].entries()) {
      const up = await u.upload(lists[i]!.id, `cap${i}.csv`, csv());
      expect(up.status).toBe(201);
      ids.push(up.body.import.id as number);
    }
    // The test holds the lists, so the imports that start wait, running, until it lets go.
    const holder = new pg.Client({ connectionString: t.database.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM lists WHERE id = ANY($1) FOR UPDATE', [lists.map((l) => l.id)]);
      const start = (u: ApiUser, id: number) =>
        u.call('POST', `/api/imports/${id}/start`, { mapping, defaultCountry: 'GB' });

      expect((await start(a, ids[0]!)).status).toBe(202);
      const mine = await start(a, ids[3]!);
      expect(mine.status).toBe(429);
      expect(mine.body).toMatchObject({
        code: 'too_many_imports',
        message: expect.stringMatching(/^You already have an import running.*try again in a minute/),
      });

      expect((await a.call('GET', `/api/imports/${ids[0]}`)).body.status).toBe('running'); // held by the test
      expect((await start(b, ids[1]!)).status).toBe(202);
      const full = await t.app.inject({
        method: 'POST',
        url: `/api/imports/${ids[2]}/start`,
        headers: { cookie: c.cookie },
        payload: { mapping, defaultCountry: 'GB' },
      });
      expect(full.statusCode).toBe(429);
      expect(full.headers['retry-after']).toBe('60');
      expect(full.json()).toMatchObject({
        code: 'too_many_imports',
        message: expect.stringMatching(/^2 imports are running on the server.*try again in a minute/),
      });
      expect((await c.call('GET', `/api/imports/${ids[2]}`)).body.status).toBe('uploaded');
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    expect((await a.waitForImport(ids[0]!)).status).toBe('done');
    expect((await b.waitForImport(ids[1]!)).status).toBe('done');
    for (const [u, id] of [
      [c, ids[2]!],
      [a, ids[3]!],
    ] as const) {
      const started = await u.call('POST', `/api/imports/${id}/start`, { mapping, defaultCountry: 'GB' });
      expect(started.status).toBe(202);
      expect((await u.waitForImport(id)).status).toBe('done');
    }
  });
});

describe('an import that has finished', () => {
  it('frees its person at once, while it still brings the campaigns’ queues in step', async () => {
    // A service whose queue sync waits until the test lets go: the import is done on the page
    // while its run still tidies up.
    let letGo = () => {};
    const syncing = new Promise<void>((resolve) => (letGo = resolve));
    const imports = createImportsService({
      db: t.database.db,
      now: clock.now,
      config: t.config,
      dialer: { syncListQueues: () => syncing, donorsChanged: async () => {} },
      log: t.app.log,
    });
    try {
      const list = await manager.createList();
      const first = (await manager.upload(list.id, 'first.csv', csv())).body.import.id as number;
      const second = (await manager.upload(list.id, 'second.csv', csv())).body.import.id as number;
      const actor = { id: manager.user.id, role: 'manager' as const };
      await imports.start(actor, first, { mapping, defaultCountry: 'GB' });
      expect((await manager.waitForImport(first)).status).toBe('done');

      // Done for the manager: the next one starts, not "You already have an import running".
      const next = await imports.start(actor, second, { mapping, defaultCountry: 'GB' });
      expect(next.status).toBe('running');
    } finally {
      letGo();
      await imports.close();
    }
  });
});
