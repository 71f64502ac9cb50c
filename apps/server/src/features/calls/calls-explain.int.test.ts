import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/db';
import type { Database } from '../../db/client';
import { listCalls, listInboundCalls } from './calls.repository';

/**
 * The managers' inbound lists over 200,000 inbound calls on 20 lines (half of them answered, each
 * with its call record): a page is read from an index in the list's order, never by scanning or
 * sorting the table.
 */
let database: Database;
let lineId: number;
let teamId: number;

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await db.execute(
    sql`insert into campaigns (name, purpose, status) values ('Explain inbound', 'thank_you', 'active')`,
  );
  await db.execute(sql`insert into teams (name) values ('Explain team')`);
  teamId = ((await db.execute(sql`select id from teams where name = 'Explain team'`)).rows[0] as { id: number }).id;
  await db.execute(sql`
    insert into users (email, name, role, password_hash) values ('explain-agent@example.org', 'Agent', 'agent', 'x')`);
  await db.execute(sql`
    insert into inbound_lines (number, name, campaign_id, time_zone, weekday_hours)
    select '+4420794650' || lpad(g::text, 2, '0'), 'Line ' || g, (select id from campaigns where name = 'Explain inbound'),
           'Europe/London', '[null,null,null,null,null,null,null]'::jsonb
      from generate_series(1, 20) g`);
  lineId = ((await db.execute(sql`select min(id) as id from inbound_lines`)).rows[0] as { id: number }).id;
  await db.execute(sql`insert into inbound_line_teams (line_id, team_id) values (${lineId}, ${teamId})`);
  // Every other call answered: its call record, then the inbound call pointing at it.
  await db.execute(sql`
    insert into calls (direction, agent_id, team_id, phone_dialled, started_at, ended_at, updated_at)
    select 'inbound', (select id from users where email = 'explain-agent@example.org'), ${teamId}, '+447400' || g,
           timestamptz '2026-01-01Z' + g * interval '1 minute', timestamptz '2026-01-01Z' + g * interval '1 minute' + interval '2 minutes',
           now()
      from generate_series(1, 100000) g`);
  await db.execute(sql`
    insert into inbound_calls (source, line_id, from_raw, status, offer_answer, arrived_at, updated_at, call_id)
    select 'manual', (select min(id) from inbound_lines) + g % 20, '+447400' || g,
           case when g % 2 = 0 then 'answered' else 'abandoned' end::inbound_call_status, '{}'::jsonb,
           timestamptz '2026-01-01Z' + g * interval '1 minute', now(),
           case when g % 2 = 0 then (select min(id) from calls) + g / 2 - 1 end
      from generate_series(1, 200000) g`);
  await db.execute(sql`analyze calls`);
  await db.execute(sql`analyze inbound_calls`);
}, 120_000);

async function explain(query: { toSQL(): { sql: string; params: unknown[] } }): Promise<string> {
  const { sql: text, params } = query.toSQL();
  const r = await database.pool.query<{ 'QUERY PLAN': string }>(`explain (costs off) ${text}`, params);
  return r.rows.map((x) => x['QUERY PLAN']).join('\n');
}

const page = { from: null, to: null, before: null, limit: 51 };

describe('listInboundCalls', () => {
  it("one line's calls, in a manager's scope: an arrival index, in order, nothing sorted, no scan of calls", async () => {
    const plan = await explain(listInboundCalls(database.db, { ...page, lineIds: [lineId], status: null }));
    // Either arrival index gives the order (the line's, or every line's filtered by line).
    expect(plan).toMatch(/Index Scan Backward using inbound_calls_(line_)?arrived_idx on inbound_calls/);
    expect(plan).not.toMatch(/Seq Scan on inbound_calls/);
    expect(plan).not.toMatch(/->\s+Sort\b/); // an Incremental Sort orders ties of one instant by id only
    expect(plan).not.toMatch(/Seq Scan on calls/);
  });

  it('every line (an administrator): the arrival index, newest first', async () => {
    const plan = await explain(listInboundCalls(database.db, { ...page, lineIds: null, status: null }));
    expect(plan).toMatch(/Index Scan Backward using inbound_calls_arrived_idx on inbound_calls/);
    expect(plan).not.toMatch(/Seq Scan on inbound_calls/);
    expect(plan).not.toMatch(/->\s+Sort\b/);
  });
});

describe('listInboundCalls for a manager of a small line among big ones (review B7)', () => {
  // The manager's lines: the first line (10,000 calls like every other) and a small one of 3 calls.
  let small: number;
  beforeAll(async () => {
    const { db } = database;
    small = (
      (
        await db.execute(sql`
      insert into inbound_lines (number, name, campaign_id, time_zone, weekday_hours)
      values ('+442079469999', 'Small line', (select id from campaigns where name = 'Explain inbound'),
              'Europe/London', '[null,null,null,null,null,null,null]'::jsonb) returning id`)
      ).rows[0] as { id: number }
    ).id;
    await db.execute(sql`
      insert into inbound_calls (source, line_id, from_raw, status, offer_answer, arrived_at, updated_at)
      select 'manual', ${small}, '+447499' || g, 'abandoned', '{}'::jsonb, timestamptz '2025-06-01Z' + g * interval '1 day', now()
        from generate_series(1, 3) g`);
    await db.execute(sql`analyze inbound_calls`);
  });

  async function analyzed(query: { toSQL(): { sql: string; params: unknown[] } }): Promise<string> {
    const { sql: text, params } = query.toSQL();
    const r = await database.pool.query<{ 'QUERY PLAN': string }>(
      `explain (analyze, costs off, timing off, summary off) ${text}`,
      params,
    );
    return r.rows.map((x) => x['QUERY PLAN']).join('\n');
  }

  /** The most rows any node of the plan read or produced, per loop. */
  const largestNode = (plan: string) => Math.max(...[...plan.matchAll(/rows=(\d+)/g)].map((m) => Number(m[1])));

  it("reads a page per line from the line's index, never the other lines' calls", async () => {
    const plan = await analyzed(listInboundCalls(database.db, { ...page, lineIds: [lineId, small], status: null }));
    expect(plan).toMatch(/Index Scan Backward using inbound_calls_line_arrived_idx on inbound_calls per_line/);
    expect(plan).not.toMatch(/Seq Scan on inbound_calls/);
    expect(plan).not.toMatch(/inbound_calls_arrived_idx/); // the all-lines index would walk every line's calls
    // A page (51) from each of the two lines at most, however many calls the other 19 lines hold.
    expect(largestNode(plan)).toBeLessThanOrEqual(2 * 51);
    const rows = await listInboundCalls(database.db, { ...page, lineIds: [lineId, small], status: null });
    expect(rows).toHaveLength(51);
    expect(rows.every((r) => r.lineId === lineId || r.lineId === small)).toBe(true);
  });

  it("pages on: past the big line's calls, the small line's, newest first; a filter by status applies per line", async () => {
    const last = await listInboundCalls(database.db, {
      ...page,
      before: { at: new Date('2026-01-01T00:00:00Z'), id: 0 },
      lineIds: [lineId, small],
      status: null,
    });
    expect(last.map((r) => [r.lineId, r.arrivedAt.toISOString()])).toEqual([
      [small, '2025-06-04T00:00:00.000Z'],
      [small, '2025-06-03T00:00:00.000Z'],
      [small, '2025-06-02T00:00:00.000Z'],
    ]);
    const answered = await listInboundCalls(database.db, { ...page, lineIds: [lineId, small], status: 'answered' });
    expect(answered.length).toBe(51);
    expect(answered.every((r) => r.status === 'answered' && r.lineId === lineId)).toBe(true);
  });
});

describe('listCalls by inbound line', () => {
  it("finds the line's calls through the line's index, never scanning the inbound calls", async () => {
    const plan = await explain(
      listCalls(database.db, {
        ...page,
        teamIds: null,
        campaignId: null,
        teamId: null,
        agentId: null,
        endReasonId: null,
        direction: 'inbound',
        inboundLineId: lineId,
        hangupCause: null,
      }),
    );
    // The line's calls come from its index; the calls' order (started_at) has no index of its own
    // (as for every listCalls filter but campaign and agent), so the line's answered calls are sorted.
    expect(plan).not.toMatch(/Seq Scan on inbound_calls/);
    expect(plan).toMatch(/inbound_calls_line_arrived_idx/);
  });
});
