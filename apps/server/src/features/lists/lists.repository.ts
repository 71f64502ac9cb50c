import type pg from 'pg';
import type { PgClient } from '../../lib/tx';
import { donorReachSql, type DonorReacher } from '../donors/donor-reach';

type Queryable = PgClient | pg.Pool;

export interface ListRow {
  id: number;
  name: string;
  description: string;
  created_at: Date;
  created_by_name: string | null;
  donor_count: number;
  campaigns: { id: number; name: string; priority: number }[];
}

const LIST_SELECT = `
SELECT l.id, l.name, l.description, l.created_at, u.name AS created_by_name,
       (SELECT count(*)::int FROM list_members lm WHERE lm.list_id = l.id) AS donor_count,
       COALESCE((SELECT json_agg(json_build_object('id', c.id, 'name', c.name, 'priority', cl.priority)
                                 ORDER BY cl.priority, c.name)
                   FROM campaign_lists cl JOIN campaigns c ON c.id = cl.campaign_id
                  WHERE cl.list_id = l.id), '[]'::json) AS campaigns
  FROM lists l LEFT JOIN users u ON u.id = l.created_by`;

export async function listLists(c: Queryable): Promise<ListRow[]> {
  const r = await c.query<ListRow>(`${LIST_SELECT} ORDER BY l.name`);
  return r.rows;
}

export async function findList(c: Queryable, id: number): Promise<ListRow | null> {
  const r = await c.query<ListRow>(`${LIST_SELECT} WHERE l.id = $1`, [id]);
  return r.rows[0] ?? null;
}

/**
 * How many of a list's donors have no number to call (as the list's donor count, the whole list).
 * A join the planner may drive from either side: the list's members (primary key) probing donors,
 * or the partial index of donors with no number (donors_uncallable_idx, usually few) probing the list.
 */
export async function countUncallableMembers(c: Queryable, listId: number): Promise<number> {
  const r = await c.query<{ n: number }>(
    `SELECT count(*)::int AS n
       FROM list_members lm JOIN donors d ON d.id = lm.donor_id
      WHERE lm.list_id = $1 AND d.callable_phone IS NULL`,
    [listId],
  );
  return r.rows[0]?.n ?? 0;
}

/** The list row, locked for the rest of the transaction (renames and fills take turns). */
export async function lockList(
  c: PgClient,
  id: number,
): Promise<{ id: number; name: string; description: string } | null> {
  const r = await c.query<{ id: number; name: string; description: string }>(
    'SELECT id, name, description FROM lists WHERE id = $1 FOR UPDATE',
    [id],
  );
  return r.rows[0] ?? null;
}

export async function listIdByName(c: Queryable, name: string): Promise<number | null> {
  const r = await c.query<{ id: number }>('SELECT id FROM lists WHERE lower(name) = lower($1)', [name]);
  return r.rows[0]?.id ?? null;
}

export async function insertList(
  c: PgClient,
  v: { name: string; description: string; createdBy: number; at: Date },
): Promise<number> {
  const r = await c.query<{ id: number }>(
    'INSERT INTO lists (name, description, created_by, created_at) VALUES ($1, $2, $3, $4) RETURNING id',
    [v.name, v.description, v.createdBy, v.at],
  );
  return r.rows[0]!.id;
}

export async function updateList(c: PgClient, id: number, v: { name: string; description: string }): Promise<void> {
  await c.query('UPDATE lists SET name = $2, description = $3 WHERE id = $1', [id, v.name, v.description]);
}

export interface MemberRow {
  id: number;
  reference: string;
  first_name: string;
  last_name: string;
  phone: string | null;
  email: string | null;
  country: string | null;
  time_zone: string;
  do_not_call: boolean;
  deceased: boolean;
  suppressed: boolean;
  added_at: Date;
}

/** A page of the list's donors that the user's work reaches (donor-reach.ts), most recently added first. */
export async function membersOf(
  c: Queryable,
  actor: DonorReacher,
  listId: number,
  limit: number,
  offset: number,
): Promise<{ rows: MemberRow[]; total: number }> {
  const rows = await c.query<MemberRow>(
    `SELECT d.id, d.reference, d.first_name, d.last_name, d.phone, d.email, d.country, d.time_zone,
            d.do_not_call, d.deceased, d.suppressed, lm.added_at
       FROM list_members lm JOIN donors d ON d.id = lm.donor_id
      WHERE lm.list_id = $1 AND ${donorReachSql(actor, 'lm.donor_id', '$4')}
      ORDER BY lm.added_at DESC, d.id DESC
      LIMIT $2 OFFSET $3`,
    [listId, limit, offset, actor.id],
  );
  return { rows: rows.rows, total: await reachableMemberCount(c, actor, listId) };
}

/** How many of the list's donors the user's work reaches: what a page count or an export holds. */
export async function reachableMemberCount(c: Queryable, actor: DonorReacher, listId: number): Promise<number> {
  const r = await c.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM list_members lm WHERE lm.list_id = $1 AND ${donorReachSql(actor, 'lm.donor_id', '$2')}`,
    [listId, actor.id],
  );
  return r.rows[0]?.n ?? 0;
}

export interface ExportRow {
  id: number;
  reference: string;
  first_name: string;
  last_name: string;
  phone: string | null;
  alt_phone: string | null;
  email: string | null;
  address_line1: string | null;
  address_line2: string | null;
  city: string | null;
  postcode: string | null;
  country: string | null;
  time_zone: string;
  language: string | null;
  do_not_call: boolean;
  deceased: boolean;
  suppressed: boolean;
}

/**
 * One page of a list's donors for an export, by donor id after `afterId` (keyset paging): those
 * the user's work reaches (donor-reach.ts).
 */
export async function exportPage(
  c: Queryable,
  actor: DonorReacher,
  listId: number,
  afterId: number,
  limit: number,
): Promise<ExportRow[]> {
  const r = await c.query<ExportRow>(
    `SELECT d.id, d.reference, d.first_name, d.last_name, d.phone, d.alt_phone, d.email, d.address_line1,
            d.address_line2, d.city, d.postcode, d.country, d.time_zone, d.language, d.do_not_call, d.deceased,
            d.suppressed
       FROM list_members lm JOIN donors d ON d.id = lm.donor_id
      WHERE lm.list_id = $1 AND lm.donor_id > $2 AND ${donorReachSql(actor, 'lm.donor_id', '$4')}
      ORDER BY lm.donor_id
      LIMIT $3`,
    [listId, afterId, limit, actor.id],
  );
  return r.rows;
}
