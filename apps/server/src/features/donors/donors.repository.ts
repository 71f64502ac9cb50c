import type pg from 'pg';
import type { PgClient } from '../../lib/tx';
import { donorReachSql, type DonorReacher } from './donor-reach';
import type { DonorSearchCriteria } from './donors.search';

export interface DonorRow {
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
  notes: string;
}

const DONOR_COLUMNS = `id, reference, first_name, last_name, phone, alt_phone, email, address_line1, address_line2, city,
            postcode, country, time_zone, language, do_not_call, deceased, suppressed, notes`;

export async function findDonor(c: PgClient, id: number, opts: { forUpdate?: boolean } = {}): Promise<DonorRow | null> {
  const r = await c.query<DonorRow>(
    `SELECT ${DONOR_COLUMNS} FROM donors WHERE id = $1${opts.forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return r.rows[0] ?? null;
}

/** The editable columns of a donor (snake_case, as in the table). */
export type DonorChanges = Partial<Omit<DonorRow, 'id' | 'reference'>>;

export async function updateDonor(c: PgClient, id: number, changes: DonorChanges, now: Date): Promise<void> {
  const entries = Object.entries(changes).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return;
  // Column names come from DonorChanges' keys (our code), never from the request.
  const sets = entries.map(([k], i) => `${k} = $${i + 3}`);
  await c.query(`UPDATE donors SET ${sets.join(', ')}, updated_at = $2 WHERE id = $1`, [
    id,
    now,
    ...entries.map(([, v]) => v),
  ]);
}

export async function listsOfDonor(c: PgClient, donorId: number): Promise<{ id: number; name: string }[]> {
  const r = await c.query<{ id: number; name: string }>(
    `SELECT l.id, l.name FROM list_members lm JOIN lists l ON l.id = lm.list_id WHERE lm.donor_id = $1 ORDER BY l.name`,
    [donorId],
  );
  return r.rows;
}

/**
 * The WHERE clause of a donor search over `donors d`, with its parameters numbered from
 * `firstParam`. The name legs use the trigram index on f_unaccent(lower(first_name || ' ' ||
 * last_name)) (migration 0004); reference, phone and email use their own indexes.
 */
export function searchWhere(c: DonorSearchCriteria, firstParam: number): { sql: string; params: unknown[] } {
  if (c.all) return { sql: 'true', params: [] };
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${firstParam + params.length - 1}`;
  };
  const legs: string[] = [];
  const name = `f_unaccent(lower(d.first_name || ' ' || d.last_name))`;
  // ILIKE and ~*, not LIKE and ~: under the C locale lower() leaves capitals like "Á" as they are
  // (f_unaccent then makes them "A"), so the comparison must also ignore ASCII case. Both are
  // answered by the trigram index.
  if (c.nameLike !== null) legs.push(`${name} ILIKE f_unaccent(lower(${p(c.nameLike)}::text))`);
  if (c.nameRegex !== null) legs.push(`${name} ~* f_unaccent(lower(${p(c.nameRegex)}::text))`);
  if (c.reference !== null) legs.push(`lower(d.reference) = lower(${p(c.reference)}::text)`);
  if (c.phone !== null) {
    const ph = p(c.phone);
    legs.push(`d.phone = ${ph}::text`, `d.alt_phone = ${ph}::text`);
  }
  if (c.email !== null) legs.push(`lower(d.email) = lower(${p(c.email)}::text)`);
  return { sql: `(${legs.join(' OR ')})`, params };
}

export interface DonorSummaryRow {
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
}

const SUMMARY_COLUMNS = `d.id, d.reference, d.first_name, d.last_name, d.phone, d.email, d.country, d.time_zone,
       d.do_not_call, d.deceased, d.suppressed`;

/** The reach condition of a search over `donors d`: an empty search asks it of every donor. */
function reach(actor: DonorReacher, criteria: DonorSearchCriteria, userParam: string): string {
  return donorReachSql(actor, 'd.id', userParam, { form: criteria.all ? 'set' : 'probe' });
}

/** The filters beside the search box; null: any. */
export interface DonorSearchFilters {
  country: string | null;
  doNotCall: boolean | null;
  deceased: boolean | null;
  listId: number | null;
  /** The donor's last gift in [lastGiftFrom, lastGiftTo). */
  lastGiftFrom: Date | null;
  lastGiftTo: Date | null;
}

/** The filters as a WHERE clause over `donors d`, parameters numbered from `firstParam`. */
export function filterWhere(f: DonorSearchFilters, firstParam: number): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${firstParam + params.length - 1}`;
  };
  const terms: string[] = [];
  if (f.country !== null) terms.push(`d.country = ${p(f.country)}::text`);
  if (f.doNotCall !== null) terms.push(`d.do_not_call = ${p(f.doNotCall)}::boolean`);
  if (f.deceased !== null) terms.push(`d.deceased = ${p(f.deceased)}::boolean`);
  if (f.listId !== null) {
    terms.push(`EXISTS (SELECT 1 FROM list_members lm WHERE lm.list_id = ${p(f.listId)}::int AND lm.donor_id = d.id)`);
  }
  if (f.lastGiftFrom !== null || f.lastGiftTo !== null) {
    // The newest gift, read backwards from donations_donor_id_idx (donor_id, donated_at).
    const lastGift = `(SELECT max(dn.donated_at) FROM donations dn WHERE dn.donor_id = d.id)`;
    if (f.lastGiftFrom !== null) terms.push(`${lastGift} >= ${p(f.lastGiftFrom)}::timestamptz`);
    if (f.lastGiftTo !== null) terms.push(`${lastGift} < ${p(f.lastGiftTo)}::timestamptz`);
  }
  return { sql: terms.length === 0 ? 'true' : terms.join(' AND '), params };
}

/**
 * The order of a search's results: by family name then given name in the donor_name collation
 * (ICU, punctuation and spaces ignored: "'t Hart" files under T, "van Dijk" under V, "Ångström"
 * beside "Angstrom", "de la Cruz" and "De La Cruz" together; migration 0014), then id. The index
 * donors_name_order_idx has these same keys, so every donor in order is read from it a page at a time.
 */
export const NAME_ORDER = `d.last_name COLLATE donor_name, d.first_name COLLATE donor_name, d.id`;

/**
 * One page of a donor search among the donors the user's work reaches (donor-reach.ts): exact
 * reference matches first, then by name (NAME_ORDER).
 */
export async function searchDonors(
  c: PgClient | pg.Pool,
  actor: DonorReacher,
  criteria: DonorSearchCriteria,
  filters: DonorSearchFilters,
  limit: number,
  offset: number,
): Promise<{ rows: DonorSummaryRow[]; total: number }> {
  const params: unknown[] = [limit, offset, actor.id];
  // An empty search has no reference to put first: the order is the index's own.
  let referenceFirst = '';
  if (criteria.reference !== null) {
    params.push(criteria.reference);
    referenceFirst = `(lower(d.reference) = lower($${params.length}::text)) DESC, `;
  }
  const where = searchWhere(criteria, params.length + 1);
  const filter = filterWhere(filters, params.length + 1 + where.params.length);
  const rows = await c.query<DonorSummaryRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM donors d
      WHERE ${where.sql} AND ${filter.sql} AND ${reach(actor, criteria, '$3')}
      ORDER BY ${referenceFirst}${NAME_ORDER}
      LIMIT $1 OFFSET $2`,
    [...params, ...where.params, ...filter.params],
  );
  const countWhere = searchWhere(criteria, 2);
  const countFilter = filterWhere(filters, 2 + countWhere.params.length);
  const count = await c.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM donors d
      WHERE ${countWhere.sql} AND ${countFilter.sql} AND ${reach(actor, criteria, '$1')}`,
    [actor.id, ...countWhere.params, ...countFilter.params],
  );
  return { rows: rows.rows, total: count.rows[0]?.n ?? 0 };
}

/**
 * Adds every donor a search finds among those the user's work reaches to a list, in one
 * statement; answers how many were added.
 */
export async function addSearchMatchesToList(
  c: PgClient,
  actor: DonorReacher,
  criteria: DonorSearchCriteria,
  listId: number,
  now: Date,
): Promise<number> {
  const where = searchWhere(criteria, 4);
  const r = await c.query(
    `INSERT INTO list_members (list_id, donor_id, added_at)
     SELECT $1, d.id, $2 FROM donors d WHERE ${where.sql} AND ${reach(actor, criteria, '$3')}
     ON CONFLICT DO NOTHING`,
    [listId, now, actor.id, ...where.params],
  );
  return r.rowCount ?? 0;
}

/** Whether the user's work reaches this donor (donor-reach.ts: managers and administrators). */
export async function reachesDonor(c: PgClient, actor: DonorReacher, donorId: number): Promise<boolean> {
  const r = await c.query<{ ok: boolean }>(`SELECT ${donorReachSql(actor, '$1::int', '$2')} AS ok`, [
    donorId,
    actor.id,
  ]);
  return r.rows[0]?.ok ?? false;
}

/**
 * Whether an agent's work reaches this donor: a campaign of one of their teams holds the donor,
 * or they are on a call with the donor (an inbound call can come from anyone).
 */
export async function agentReachesDonor(c: PgClient, agentId: number, donorId: number): Promise<boolean> {
  const r = await c.query<{ ok: boolean }>({
    name: 'donors_agent_reaches',
    text: `SELECT EXISTS (SELECT 1 FROM calls WHERE donor_id = $2 AND agent_id = $1 AND ended_at IS NULL)
               OR EXISTS (SELECT 1 FROM campaign_donors cd
                            JOIN campaign_teams ct ON ct.campaign_id = cd.campaign_id
                            JOIN team_members tm ON tm.team_id = ct.team_id
                           WHERE cd.donor_id = $2 AND tm.user_id = $1) AS ok`,
    values: [agentId, donorId],
  });
  return r.rows[0]?.ok ?? false;
}

export interface DonationCallRow {
  id: number;
  donor_id: number;
  agent_id: number;
  ended_at: Date | null;
}

/** A call a donation may be recorded on: whose it is, with whom, and whether it has ended. */
export async function findCall(c: PgClient, callId: number): Promise<DonationCallRow | null> {
  const r = await c.query<DonationCallRow>('SELECT id, donor_id, agent_id, ended_at FROM calls WHERE id = $1', [
    callId,
  ]);
  return r.rows[0] ?? null;
}

/** The agent's latest call with the donor (the open one, if any: an agent has one at a time). */
export async function latestCallOf(c: PgClient, agentId: number, donorId: number): Promise<DonationCallRow | null> {
  const r = await c.query<DonationCallRow>(
    `SELECT id, donor_id, agent_id, ended_at FROM calls
      WHERE donor_id = $2 AND agent_id = $1 ORDER BY started_at DESC, id DESC LIMIT 1`,
    [agentId, donorId],
  );
  return r.rows[0] ?? null;
}

export interface DonationRow {
  id: number;
  amount_minor: number;
  currency: string;
  purpose: string;
  method: 'card' | 'direct_debit' | 'bank_transfer' | 'cash' | 'cheque' | 'other';
  frequency: 'one_off' | 'monthly' | 'quarterly' | 'yearly';
  payment_reference: string | null;
  call_id: number | null;
  donated_at: Date;
}

export async function donationsOf(c: PgClient, donorId: number, limit: number): Promise<DonationRow[]> {
  const r = await c.query<DonationRow>(
    `SELECT id, amount_minor, currency, purpose, method, frequency, payment_reference, call_id, donated_at
       FROM donations WHERE donor_id = $1 ORDER BY donated_at DESC, id DESC LIMIT $2`,
    [donorId, limit],
  );
  return r.rows;
}

export async function insertDonation(
  c: PgClient,
  v: Omit<DonationRow, 'id' | 'donated_at'> & { donor_id: number; recorded_by: number; donated_at: Date },
): Promise<DonationRow> {
  const r = await c.query<DonationRow>(
    `INSERT INTO donations (donor_id, amount_minor, currency, purpose, method, frequency, payment_reference, call_id, recorded_by, donated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     RETURNING id, amount_minor, currency, purpose, method, frequency, payment_reference, call_id, donated_at`,
    [
      v.donor_id,
      v.amount_minor,
      v.currency,
      v.purpose,
      v.method,
      v.frequency,
      v.payment_reference,
      v.call_id,
      v.recorded_by,
      v.donated_at,
    ],
  );
  return r.rows[0]!;
}

export async function sponsorshipsOf(c: PgClient, donorId: number) {
  const r = await c.query<{
    id: number;
    subject: string;
    amount_minor: number;
    currency: string;
    frequency: 'one_off' | 'monthly' | 'quarterly' | 'yearly';
    status: 'active' | 'paused' | 'lapsed' | 'cancelled';
    started_on: string;
  }>(
    `SELECT id, subject, amount_minor, currency, frequency, status, started_on::text FROM sponsorships
      WHERE donor_id = $1 ORDER BY (status = 'active') DESC, started_on DESC`,
    [donorId],
  );
  return r.rows;
}

export async function paymentsOf(c: PgClient, donorId: number, limit: number) {
  const r = await c.query<{
    id: number;
    amount_minor: number;
    currency: string;
    method: DonationRow['method'];
    status: 'succeeded' | 'failed';
    failure_reason: string | null;
    due_on: string;
    resolution: string | null;
  }>(
    `SELECT id, amount_minor, currency, method, status, failure_reason, due_on::text, resolution FROM payments
      WHERE donor_id = $1 ORDER BY due_on DESC, id DESC LIMIT $2`,
    [donorId, limit],
  );
  return r.rows;
}

export interface TimelineRow {
  kind: 'call' | 'appointment' | 'note' | 'donation';
  at: Date;
  title: string;
  detail: string;
}

/** Calls, call-backs, notes and gifts of a donor, newest first. */
export async function timelineOf(c: PgClient, donorId: number, limit: number): Promise<TimelineRow[]> {
  const r = await c.query<TimelineRow>(
    `(SELECT 'call' AS kind, cl.started_at AS at,
             'Call by ' || u.name || COALESCE(' – ' || er.name, ' – in progress') AS title,
             COALESCE(c.name, 'No campaign') || CASE WHEN cl.notes <> '' THEN ': ' || cl.notes ELSE '' END AS detail
        FROM calls cl JOIN users u ON u.id = cl.agent_id
        LEFT JOIN end_reasons er ON er.id = cl.end_reason_id LEFT JOIN campaigns c ON c.id = cl.campaign_id
       WHERE cl.donor_id = $1 ORDER BY cl.started_at DESC LIMIT $2)
     UNION ALL
     (SELECT 'appointment', a.scheduled_at, 'Call-back ' || a.status::text,
             c.name || CASE WHEN a.notes <> '' THEN ': ' || a.notes ELSE '' END
        FROM appointments a JOIN campaigns c ON c.id = a.campaign_id
       WHERE a.donor_id = $1 ORDER BY a.scheduled_at DESC LIMIT $2)
     UNION ALL
     (SELECT 'note', n.created_at, 'Note' || COALESCE(' by ' || u.name, ''), n.body
        FROM donor_notes n LEFT JOIN users u ON u.id = n.author_id
       WHERE n.donor_id = $1 ORDER BY n.created_at DESC LIMIT $2)
     ORDER BY at DESC LIMIT $2`,
    [donorId, limit],
  );
  return r.rows;
}
