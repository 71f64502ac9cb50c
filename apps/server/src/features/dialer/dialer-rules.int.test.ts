import { beforeAll, describe, expect, it } from 'vitest';
import { campaignNeedsLists, campaignPurposes, type CampaignPurpose } from '@engage/contracts';
import { createTestDatabase } from '../../../test/db';
import { createSettings } from '../../../test/dialer-factories';
import type { Database } from '../../db/client';

// The small named rules of sql/dialer-rules.sql, on their own.
let database: Database;

beforeAll(async () => {
  database = await createTestDatabase();
});

async function unworkable(
  status: string,
  startsOn: string | null,
  endsOn: string | null,
  hasLists: boolean,
  at: string,
  purpose: CampaignPurpose = 'thank_you',
): Promise<string | null> {
  const r = await database.pool.query<{ why: string | null }>(
    'SELECT engage_campaign_unworkable($1, $2, $3, $4, $5, $6) AS why',
    [status, startsOn, endsOn, hasLists, at, purpose],
  );
  return r.rows[0]!.why;
}

describe('engage_campaign_unworkable, the one "a campaign can be worked" rule', () => {
  it('campaign dates are inclusive UTC days, and open-ended when missing', async () => {
    expect(await unworkable('active', '2026-01-01', '2026-12-31', true, '2026-12-31T23:59:59Z')).toBeNull();
    expect(await unworkable('active', '2026-01-01', '2026-12-31', true, '2027-01-01T00:00:00Z')).toBe('not_in_dates');
    expect(await unworkable('active', '2026-01-01', '2026-12-31', true, '2025-12-31T23:59:59Z')).toBe('not_in_dates');
    expect(await unworkable('active', null, null, true, '2030-05-05T12:00:00Z')).toBeNull();
  });

  it('says why, in the order the agent is told: not active, not today, no list', async () => {
    expect(await unworkable('paused', '2027-01-01', null, false, '2026-06-10T12:00:00Z')).toBe('not_active');
    expect(await unworkable('draft', null, null, true, '2026-06-10T12:00:00Z')).toBe('not_active');
    expect(await unworkable('active', '2027-01-01', null, false, '2026-06-10T12:00:00Z')).toBe('not_in_dates');
    expect(await unworkable('active', null, null, false, '2026-06-10T12:00:00Z')).toBe('no_lists');
  });

  it("an inbound line's campaign is worked without lists (its donors are the lines' call-backs), the rest still apply", async () => {
    expect(await unworkable('active', null, null, false, '2026-06-10T12:00:00Z', 'inbound_line')).toBeNull();
    expect(await unworkable('draft', null, null, false, '2026-06-10T12:00:00Z', 'inbound_line')).toBe('not_active');
    expect(await unworkable('active', '2027-01-01', null, false, '2026-06-10T12:00:00Z', 'inbound_line')).toBe(
      'not_in_dates',
    );
  });

  it('engage_campaign_needs_lists agrees with campaignNeedsLists (contracts) for every purpose', async () => {
    for (const purpose of campaignPurposes) {
      const r = await database.pool.query<{ needs: boolean }>('SELECT engage_campaign_needs_lists($1) AS needs', [
        purpose,
      ]);
      expect(r.rows[0]!.needs, purpose).toBe(campaignNeedsLists(purpose));
    }
    expect(campaignNeedsLists('thank_you')).toBe(true);
    expect(campaignNeedsLists('inbound_line')).toBe(false);
  });
});

describe('dialer_shift_to, the one shift transition', () => {
  it('moves state_since only when the state changes', async () => {
    const pool = database.pool;
    const user = await pool.query<{ id: number }>(
      `INSERT INTO users (email, name, role, password_hash) VALUES ('shift-to@test.org', 'Shift To', 'agent', 'x')
       RETURNING id`,
    );
    const { jobRoleId } = await createSettings(database.db);
    const opened = new Date('2026-06-10T09:00:00Z');
    const shift = await pool.query<{ id: number }>(
      `INSERT INTO shifts (agent_id, job_role_id, state, state_since, opened_at, lease_expires_at)
       VALUES ($1, $2, 'signed_in', $3, $3, $3) RETURNING id`,
      [user.rows[0]!.id, jobRoleId, opened],
    );
    const move = (state: string, at: string) =>
      pool.query<{ state: string; state_since: Date; lease_expires_at: Date }>(
        `SELECT (t).state, (t).state_since, (t).lease_expires_at
           FROM (SELECT dialer_shift_to(s, $2, $3) AS t FROM shifts s WHERE s.id = $1) x`,
        [shift.rows[0]!.id, state, at],
      );
    const same = await move('signed_in', '2026-06-10T09:05:00Z');
    expect(same.rows[0]!.state_since.toISOString()).toBe('2026-06-10T09:00:00.000Z');
    const ready = await move('ready', '2026-06-10T09:10:00Z');
    expect(ready.rows[0]).toMatchObject({ state: 'ready' });
    expect(ready.rows[0]!.state_since.toISOString()).toBe('2026-06-10T09:10:00.000Z');
    expect(ready.rows[0]!.lease_expires_at.toISOString()).toBe('2026-06-10T09:00:00.000Z');
  });
});
