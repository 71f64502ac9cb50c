import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/db';
import type { Database } from '../../db/client';

/**
 * The hot path: claiming the next donor over 100,000 donors in one campaign uses the queue index
 * and reads only a few rows, wherever the campaign's progress stands.
 */
let database: Database;
let campaignId: number;

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await db.execute(sql`insert into campaigns (name, purpose, status) values ('Explain', 'thank_you', 'active')`);
  campaignId = ((await db.execute(sql`select id from campaigns where name = 'Explain'`)).rows[0] as { id: number }).id;
  await db.execute(sql`
    insert into donors (reference, first_name, last_name, phone, time_zone)
    select 'X-' || g, 'First' || g, 'Last' || g, '+4477009' || lpad((g % 100000)::text, 5, '0'),
           (array['Europe/London', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata'])[1 + g % 4]
      from generate_series(1, 100000) g`);
  // A campaign part-way through: a third attempted once or twice, some finished, some waiting.
  await db.execute(sql`
    insert into campaign_donors (campaign_id, donor_id, priority, attempts, next_attempt_at, time_zone, state)
    select ${campaignId}, d.id, 100 + (d.id % 3) * 10, (d.id % 7) / 3,
           timestamptz '2026-06-10 11:00Z' + ((d.id % 5) * interval '20 minutes'),
           d.time_zone, case when d.id % 11 = 0 then 'finished' else 'queued' end::campaign_donor_state
      from donors d where d.reference like 'X-%'`);
  await db.execute(sql`analyze campaign_donors`);
  await db.execute(sql`analyze donors`);
});

async function explain(analyze: boolean): Promise<string> {
  const client = await database.pool.connect();
  try {
    await client.query('begin');
    // The campaign's calling rules, read once per claim as dialer_next_donor does.
    const rules = await client.query<{ rules: string }>('select engage_calling_rules($1)::text as rules', [campaignId]);
    // The claim as installed: the body of dialer_claim_next_donor (sql/dialer-rules.sql), $1..$8.
    const claim = await client.query<{ body: string }>(
      `select prosrc as body from pg_proc where oid = 'dialer_claim_next_donor'::regproc`,
    );
    const r = await client.query<{ 'QUERY PLAN': string }>(
      `explain (${analyze ? 'analyze, buffers, ' : ''}costs off) ${claim.rows[0]!.body}`,
      [
        campaignId,
        new Date('2026-06-10T12:00:00Z'),
        1,
        rules.rows[0]!.rules,
        5,
        new Date('2026-06-10T12:05:00Z'),
        1,
        '30 minutes',
      ],
    );
    await client.query('rollback');
    return r.rows.map((x) => x['QUERY PLAN']).join('\n');
  } finally {
    client.release();
  }
}

describe('the claim statement', () => {
  it('walks the queue index, never scanning the campaign sequentially', async () => {
    const plan = await explain(false);
    expect(plan).toMatch(/Index Scan using campaign_donors_queue_idx on campaign_donors/);
    expect(plan).toMatch(/campaign_donors_appointments_idx/);
    expect(plan).not.toMatch(/Seq Scan on campaign_donors/);
    expect(plan).not.toMatch(/Sort/); // the index gives the dialer's order: nothing is sorted
  });

  it('reads a handful of rows to find the donor (EXPLAIN ANALYZE, rolled back)', async () => {
    const plan = await explain(true);
    const queueScan = plan.split('\n').find((l) => l.includes('campaign_donors_queue_idx'))!;
    const rows = Number(/actual time=[\d.]+\.\.[\d.]+ rows=([\d.]+)/.exec(queueScan)?.[1] ?? 'NaN');
    expect(rows).toBe(1);
    const removed = Number(
      /Rows Removed by Filter: (\d+)/.exec(plan.slice(plan.indexOf('campaign_donors_queue_idx')))?.[1] ?? '0',
    );
    expect(removed).toBeLessThan(100);
    const total = await database.db.execute(
      sql`select count(*)::int as n from campaign_donors where campaign_id = ${campaignId}`,
    );
    expect(total.rows[0]).toEqual({ n: 100000 });
  });
});

describe('the shift row', () => {
  it('has no index on a column the dialer writes, and room on its pages: every write can be a HOT update', async () => {
    const written = [
      'state',
      'state_since',
      'team_id',
      'campaign_id',
      'offer_id',
      'call_id',
      'break_reason_id',
      'lease_expires_at',
      'idle_since',
    ];
    const r = await database.db.execute(sql`
      select indexrelid::regclass::text as name, pg_get_indexdef(indexrelid) as def
        from pg_index where indrelid = 'shifts'::regclass`);
    const indexes = r.rows as { name: string; def: string }[];
    expect(indexes.length).toBeGreaterThan(0);
    for (const { name, def } of indexes) {
      for (const column of written) expect(`${name}: ${def}`).not.toMatch(new RegExp(`\\b${column}\\b`));
    }
    const options = await database.db.execute(sql`select reloptions from pg_class where oid = 'shifts'::regclass`);
    expect((options.rows[0] as { reloptions: string[] }).reloptions).toContain('fillfactor=50');
  });
});
