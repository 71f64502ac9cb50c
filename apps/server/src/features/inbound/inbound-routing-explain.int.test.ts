import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app';
import { queueByLine } from './inbound-desk.repository';
import { freeAgentFor } from './inbound.repository';

/**
 * ringNextAgent's candidate search at 1,000 agents (issue 11, item 4): the line's teams' members,
 * their open shifts by shifts_one_open_per_agent, the checks as index look-ups, and the few free
 * ones sorted by idle_since. Never a scan of the shifts' history, nor any read of the calls.
 */
let t: TestApp;
let lineId: number;
let callId: number;

beforeAll(async () => {
  t = await createTestApp();
  const q = (text: string, values: unknown[] = []) => t.database.pool.query(text, values);
  const one = async (text: string, values: unknown[] = []) => (await q(text, values)).rows[0] as { id: number };
  const role = await one(
    `INSERT INTO job_roles (name, outbound, inbound) VALUES ('Explain inbound', true, true) RETURNING id`,
  );
  // 50 teams of 20 agents; the line is answered by 5 of them.
  await q(`INSERT INTO teams (name) SELECT 'Explain team ' || g FROM generate_series(1, 50) g`);
  await q(
    `INSERT INTO users (email, name, role, password_hash)
     SELECT 'explain' || g || '@inbound.test', 'Agent ' || g, 'agent', 'x' FROM generate_series(1, 1000) g`,
  );
  await q(
    `INSERT INTO team_members (team_id, user_id)
     SELECT t.id, u.id FROM users u JOIN teams t ON t.name = 'Explain team ' || (u.id % 50 + 1)
      WHERE u.email LIKE 'explain%@inbound.test'`,
  );
  // 1,000 agents signed in: most on a call or on break, 50 free (10 of them in the line's teams); a month of closed shifts behind them.
  await q(
    `INSERT INTO shifts (agent_id, job_role_id, state, state_since, opened_at, closed_at, lease_expires_at, idle_since)
     SELECT u.id, $1, 'ready', now() - d * interval '1 day', now() - d * interval '1 day', now() - d * interval '1 day' + interval '8 hours',
            now() - d * interval '1 day', now() - d * interval '1 day'
       FROM users u, generate_series(1, 30) d WHERE u.email LIKE 'explain%@inbound.test'`,
    [role.id],
  );
  await q(
    `INSERT INTO shifts (agent_id, job_role_id, state, state_since, opened_at, lease_expires_at, idle_since)
     SELECT u.id, $1, (CASE WHEN u.id % 20 = 0 THEN 'ready' WHEN u.id % 7 = 0 THEN 'on_break' ELSE 'on_call' END)::shift_state,
            now(), now() - interval '2 hours', now() + interval '1 hour', now() - (u.id % 600) * interval '1 second'
       FROM users u WHERE u.email LIKE 'explain%@inbound.test'`,
    [role.id],
  );
  const campaign = await one(
    `INSERT INTO campaigns (name, purpose, status) VALUES ('Explain enquiries', 'inbound_line', 'draft') RETURNING id`,
  );
  const line = await one(
    `INSERT INTO inbound_lines (number, name, campaign_id, time_zone, weekday_hours)
     VALUES ('+442079461234', 'Explain line', $1, 'Europe/London', '[]'::jsonb) RETURNING id`,
    [campaign.id],
  );
  lineId = line.id;
  await q(
    `INSERT INTO inbound_line_teams (line_id, team_id) SELECT $1, id FROM teams WHERE name IN ('Explain team 1', 'Explain team 2', 'Explain team 3', 'Explain team 4', 'Explain team 5')`,
    [lineId],
  );
  const admin = await one(`SELECT id FROM users WHERE email LIKE 'explain%@inbound.test' LIMIT 1`);
  const token = await one(
    `INSERT INTO phone_system_tokens (name, token_hash, created_by) VALUES ('Explain PBX', 'explain-hash', $1) RETURNING id`,
    [admin.id],
  );
  callId = (
    await one(
      `INSERT INTO inbound_calls (phone_system_token_id, external_id, line_id, from_raw, status, offer_answer, arrived_at, updated_at)
       VALUES ($1, 'explain-1', $2, '+447400130000', 'queued', '{"inboundCallId":0,"action":"queue","position":0}', now(), now())
       RETURNING id`,
      [token.id, lineId],
    )
  ).id;
  // A history behind it: 20,000 past calls of the line, each queued, rung and answered.
  await q(
    `INSERT INTO inbound_calls (phone_system_token_id, external_id, line_id, from_raw, status, offer_answer, arrived_at, updated_at)
     SELECT $1, 'past-' || g, $2, '+447400130000', 'ended', '{"inboundCallId":0,"action":"queue","position":0}',
            now() - g * interval '1 minute', now()
       FROM generate_series(1, 20000) g`,
    [token.id, lineId],
  );
  await q(
    `INSERT INTO inbound_call_events (inbound_call_id, type, agent_id, at)
     SELECT c.id, e.type::inbound_call_event_type, CASE WHEN e.type = 'queued' THEN NULL ELSE $1::int END, c.arrived_at
       FROM inbound_calls c, (VALUES ('queued'), ('ringing'), ('no_answer'), ('ringing'), ('answered')) e(type)
      WHERE c.external_id LIKE 'past-%'`,
    [admin.id],
  );
  await q('ANALYZE');
}, 120_000);

describe('ringNextAgent at 1,000 agents', () => {
  it("reads the line's agents' open shifts by index, each check an index look-up, never the calls", async () => {
    const query = freeAgentFor(t.database.db, { callId, lineId, now: new Date() }).toSQL();
    const plan = await t.database.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${query.sql}`, query.params);
    const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(text, text).toContain('using shifts_one_open_per_agent on shifts');
    expect(text, text).not.toContain('Seq Scan on shifts');
    expect(text, text).not.toContain('Seq Scan on team_members');
    expect(text, text).not.toContain('Seq Scan on inbound_call_events');
    expect(text, text).not.toContain('Seq Scan on inbound_calls');
    expect(text, text).not.toMatch(/ on calls\b/);
    // And it answers the agent idle longest among the free ones.
    const [picked] = await freeAgentFor(t.database.db, { callId, lineId, now: new Date() });
    const { rows } = await t.database.pool.query<{ id: number }>(
      `SELECT s.id FROM shifts s JOIN users u ON u.id = s.agent_id
        WHERE u.email LIKE 'explain%@inbound.test' AND s.closed_at IS NULL AND s.state = 'ready'
          AND u.id % 50 + 1 <= 5
        ORDER BY s.idle_since, s.id LIMIT 1`,
    );
    expect(picked?.id).toBe(rows[0]!.id);
  });
});

describe('ringNextAgent at 1,000 agents, the call missed by some of them (rounds)', () => {
  it("orders who missed it last by the call's own events (by index, never a scan), fresh agents first", async () => {
    const free = async () =>
      (
        await t.database.pool.query<{ id: number; agent_id: number }>(
          `SELECT s.id, s.agent_id FROM shifts s JOIN users u ON u.id = s.agent_id
            WHERE u.email LIKE 'explain%@inbound.test' AND s.closed_at IS NULL AND s.state = 'ready'
              AND u.id % 50 + 1 <= 5
            ORDER BY s.idle_since, s.id`,
        )
      ).rows;
    const [first, second, third] = await free();
    // The two idle longest missed the call (the first of them earlier); the third never did.
    await t.database.pool.query(
      `INSERT INTO inbound_call_events (inbound_call_id, type, agent_id, at)
       VALUES ($1, 'declined', $2, now() - interval '1 minute'), ($1, 'no_answer', $3, now())`,
      [callId, first!.agent_id, second!.agent_id],
    );
    const query = freeAgentFor(t.database.db, {
      callId,
      lineId,
      now: new Date(),
      exceptAgentId: third!.agent_id,
    }).toSQL();
    const plan = await t.database.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${query.sql}`, query.params);
    const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(text, text).toContain('using shifts_one_open_per_agent on shifts');
    expect(text, text).toContain('inbound_call_events_call_idx');
    expect(text, text).not.toContain('Seq Scan on inbound_call_events');
    expect(text, text).not.toContain('Seq Scan on shifts');
    // Fresh agents first: the fourth idle longest (the third is excepted: their ring just ended) ...
    const fourth = (await free())[3]!;
    const pick = (exceptAgentId?: number) =>
      freeAgentFor(t.database.db, { callId, lineId, now: new Date(), exceptAgentId }).then((r) => r[0]?.id);
    expect(await pick(third!.agent_id)).toBe(fourth.id);
    expect(await pick()).toBe(third!.id);
    await t.database.pool.query(
      `DELETE FROM inbound_call_events WHERE inbound_call_id = $1 AND type IN ('declined', 'no_answer')`,
      [callId],
    );
  });
});

describe("the queue's agents-free count at 1,000 agents (the same rule, freeToAnswerLine)", () => {
  it("reads open shifts by shifts_one_open_per_agent, never a scan of the shifts' history; counts the line's free agents", async () => {
    const query = queueByLine(t.database.db, null, new Date()).toSQL();
    const plan = await t.database.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${query.sql}`, query.params);
    const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(text, text).toContain('shifts_one_open_per_agent');
    expect(text, text).not.toContain('Seq Scan on shifts');
    expect(text, text).not.toContain('Seq Scan on inbound_calls');
    const [row] = (await queueByLine(t.database.db, null, new Date())).filter((r) => r.lineId === lineId);
    // Agents with u.id % 20 = 0 are Ready; the line's teams are those with u.id % 50 + 1 <= 5.
    const { rows } = await t.database.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM shifts s JOIN users u ON u.id = s.agent_id
        WHERE u.email LIKE 'explain%@inbound.test' AND s.closed_at IS NULL AND s.state = 'ready' AND u.id % 50 + 1 <= 5`,
    );
    expect(row?.agentsFree).toBe(rows[0]!.n);
    expect(rows[0]!.n).toBeGreaterThan(0);
  });
});
