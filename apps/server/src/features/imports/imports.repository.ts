import type pg from 'pg';
import type { ImportEncoding, ImportMapping, ImportStatus } from '@engage/contracts';
import type { PgClient } from '../../lib/tx';
import { donorReachSql, type DonorReacher } from '../donors/donor-reach';
import type { DonorInput, RowError } from './imports.rows';

type Queryable = PgClient | pg.Pool;

/** Advisory lock class of running imports: the lock (IMPORT_LOCK, import id) is held while one runs. */
export const IMPORT_LOCK = 0x494d50; // "IMP"

export interface ImportRow {
  id: number;
  list_id: number;
  file_name: string;
  storage_path: string | null;
  size_bytes: number;
  encoding: ImportEncoding;
  created_by: number | null;
  status: ImportStatus;
  mapping: ImportMapping | null;
  default_country: string | null;
  total_rows: number | null;
  processed_rows: number;
  created: number;
  updated: number;
  rejected: number;
  duplicates: number;
  uncallable: number;
  warnings: number;
  error: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

const IMPORT_COLUMNS = `id, list_id, file_name, storage_path, size_bytes, encoding, created_by, status, mapping, default_country, total_rows,
  processed_rows, created, updated, rejected, duplicates, uncallable, warnings, error, created_at, started_at, finished_at`;

export async function listExists(c: Queryable, listId: number): Promise<{ id: number; name: string } | null> {
  const r = await c.query<{ id: number; name: string }>('SELECT id, name FROM lists WHERE id = $1', [listId]);
  return r.rows[0] ?? null;
}

export async function insertImport(
  c: Queryable,
  v: {
    listId: number;
    createdBy: number;
    fileName: string;
    storagePath: string;
    sizeBytes: number;
    encoding: ImportEncoding;
    totalRows: number;
    at: Date;
  },
): Promise<ImportRow> {
  const r = await c.query<ImportRow>(
    `INSERT INTO imports (list_id, created_by, file_name, storage_path, size_bytes, encoding, total_rows, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${IMPORT_COLUMNS}`,
    [v.listId, v.createdBy, v.fileName, v.storagePath, v.sizeBytes, v.encoding, v.totalRows, v.at],
  );
  return r.rows[0]!;
}

export async function findImport(c: Queryable, id: number): Promise<ImportRow | null> {
  const r = await c.query<ImportRow>(`SELECT ${IMPORT_COLUMNS} FROM imports WHERE id = $1`, [id]);
  return r.rows[0] ?? null;
}

export async function importsOfList(c: Queryable, listId: number, limit: number): Promise<ImportRow[]> {
  const r = await c.query<ImportRow>(
    `SELECT ${IMPORT_COLUMNS} FROM imports WHERE list_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
    [listId, limit],
  );
  return r.rows;
}

export async function runningImportIds(c: Queryable): Promise<number[]> {
  const r = await c.query<{ id: number }>(`SELECT id FROM imports WHERE status = 'running'`);
  return r.rows.map((x) => x.id);
}

/** Takes the import's run lock on this session; false when another session holds it. */
export async function tryLockImport(c: PgClient, id: number): Promise<boolean> {
  const r = await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [IMPORT_LOCK, id]);
  return r.rows[0]?.ok ?? false;
}

export async function unlockImport(c: PgClient, id: number): Promise<void> {
  await c.query('SELECT pg_advisory_unlock($1, $2)', [IMPORT_LOCK, id]);
}

/**
 * Marks the import running with its mapping, its counters at zero; answers the row and a marker
 * unique to this run (the database clock, to the microsecond) that the run writes into
 * donors.updated_at. Null when the import is not waiting to start (uploaded, or failed).
 */
export async function markRunning(
  c: PgClient,
  id: number,
  v: { mapping: ImportMapping; defaultCountry: string; at: Date },
): Promise<{ row: ImportRow; marker: string } | null> {
  const r = await c.query<ImportRow & { marker: string }>(
    `UPDATE imports SET status = 'running', mapping = $2, default_country = $3, started_at = $4, finished_at = NULL,
            error = NULL, processed_rows = 0, created = 0, updated = 0, rejected = 0, duplicates = 0, uncallable = 0, warnings = 0
      WHERE id = $1 AND status IN ('uploaded', 'failed') AND storage_path IS NOT NULL
      RETURNING ${IMPORT_COLUMNS}, clock_timestamp()::text AS marker`,
    [id, JSON.stringify(v.mapping), v.defaultCountry, v.at],
  );
  const row = r.rows[0];
  if (!row) return null;
  await c.query('DELETE FROM import_errors WHERE import_id = $1', [id]);
  const { marker, ...rest } = row;
  return { row: rest, marker };
}

/** The reference a donor of an import without a reference column gets: unique, and found again by a rerun. */
export function generatedReferenceSql(importIdParam: string, rowExpr: string): string {
  return `'IMP-' || ${importIdParam}::int || '-' || ${rowExpr}`;
}

/**
 * For a file without a reference column: the reference of the existing donor each row is, or a
 * generated one ('IMP-<import>-<row>') for a new donor. One statement per batch; each row is looked
 * up through an index, first match wins (COALESCE evaluates a look-up only when those before it
 * found nothing):
 *
 * 1. the reference this import generated for the row (a run started again finds its own donors);
 * 2. the row's phone or other phone (E.164) as a donor's phone or other phone (donors_phone_idx,
 *    donors_alt_phone_idx);
 * 3. the row's email, case-insensitively (donors_email_lower_idx).
 *
 * A phone or email found on a donor of another name is not that donor (a household shares a
 * landline, a couple an email): the row is a new donor, never a rename of the other one. Names are
 * compared case-insensitively; a row with no name at all matches on the phone or email alone.
 *
 * Several donors with the same phone: the oldest. `OFFSET 0` keeps each look-up on its index
 * rather than a walk of the primary key in id order. Whether the importer may change the matched
 * donor is decided by writeDonors, as for a reference.
 */
/** The found donor \`d\` is the row \`u\`'s person: the same name, or the row names nobody. */
const SAME_NAME = `((coalesce(u.first_name, '') = '' AND coalesce(u.last_name, '') = '')
  OR (lower(d.first_name) = lower(coalesce(u.first_name, '')) AND lower(d.last_name) = lower(coalesce(u.last_name, ''))))`;

export const MATCH_DONORS_SQL = `
  SELECT u.row,
         COALESCE(
           (SELECT d.reference FROM donors d WHERE d.reference = ${generatedReferenceSql('$1', 'u.row')}),
           (SELECT m.reference FROM (SELECT d.id, d.reference FROM donors d
                                      WHERE d.phone = ANY (ARRAY[u.phone, u.alt_phone]) AND ${SAME_NAME}
                                     UNION
                                     SELECT d.id, d.reference FROM donors d
                                      WHERE d.alt_phone = ANY (ARRAY[u.phone, u.alt_phone]) AND ${SAME_NAME}
                                     OFFSET 0) m
             ORDER BY m.id LIMIT 1),
           (SELECT m.reference FROM (SELECT d.id, d.reference FROM donors d
                                      WHERE lower(d.email) = lower(u.email) AND ${SAME_NAME} OFFSET 0) m
             ORDER BY m.id LIMIT 1)
         ) AS matched,
         ${generatedReferenceSql('$1', 'u.row')} AS generated
    FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
         AS u(row, phone, alt_phone, email, first_name, last_name)`;

export interface DonorMatch {
  row: number;
  /** The existing donor's reference, or null: a new donor, with the generated one. */
  matched: string | null;
  generated: string;
}

export async function matchDonors(c: PgClient, importId: number, donors: DonorInput[]): Promise<DonorMatch[]> {
  if (donors.length === 0) return [];
  const r = await c.query<DonorMatch>(MATCH_DONORS_SQL, [
    importId,
    donors.map((d) => d.row),
    donors.map((d) => d.phone),
    donors.map((d) => d.alt_phone),
    donors.map((d) => d.email),
    donors.map((d) => d.first_name),
    donors.map((d) => d.last_name),
  ]);
  return r.rows;
}

/** What a batch did with one valid row's donor. */
export type WriteOutcome =
  /** A new donor. */
  | 'created'
  /** An existing donor the importer may change: updated (`changed` when a value differs). */
  | 'updated'
  /** An existing donor out of the importer's reach (donor-reach.ts): not changed, not added to the list. */
  | 'out_of_reach'
  /** A reference an earlier row of this run has already written. */
  | 'earlier_row'
  /** Another transaction inserted the reference at the same moment: left alone. */
  | 'concurrent';

export interface WrittenRow {
  reference: string;
  id: number | null;
  outcome: WriteOutcome;
  changed: boolean;
  /** Written, with neither phone nor other phone: the dialer will not call this donor. */
  uncallable: boolean;
}

/** The donor columns an import writes, in the order of the statement's arrays. */
const IMPORT_COLUMNS_OF_DONOR = [
  'first_name',
  'last_name',
  'phone',
  'alt_phone',
  'email',
  'address_line1',
  'address_line2',
  'city',
  'postcode',
  'country',
  'time_zone',
  'language',
] as const;

/**
 * One batch of donors in one statement, inside the batch's transaction:
 *
 * - existing references are locked and tested against the importer's reach (donor-reach.ts): one
 *   the importer may change is updated (a value the row leaves empty keeps what the donor has),
 *   one out of reach is left as it is and kept out of the list;
 * - new references are inserted;
 * - every donor whose values changed gets an audit record (entity 'donor', action 'import', the
 *   changed columns before and after, as a donor edit writes them);
 * - created and updated donors join the list.
 *
 * A reference this run has already written (its updated_at is the run's marker) is left alone:
 * an earlier row of the same file had it. Answers the outcome of every row.
 */
export async function writeDonors(
  c: PgClient,
  v: { donors: (DonorInput & { reference: string })[]; actor: DonorReacher; listId: number; marker: string; now: Date },
): Promise<WrittenRow[]> {
  if (v.donors.length === 0) return [];
  const col = <K extends keyof DonorInput>(k: K) => v.donors.map((d) => d[k]);
  // The columns that changed, before and after, as JSON objects; null when nothing changed. Plain
  // expressions (no subquery per row), worked out only for a donor whose values differ.
  const columns = (side: 'o' | 'd') => `(${IMPORT_COLUMNS_OF_DONOR.map((k) => `${side}.${k}`).join(', ')})`;
  const changedOnly = (side: 'o' | 'd') =>
    `CASE WHEN ${columns('o')} IS DISTINCT FROM ${columns('d')} THEN ${IMPORT_COLUMNS_OF_DONOR.map(
      (k) => `CASE WHEN o.${k} IS DISTINCT FROM d.${k} THEN jsonb_build_object('${k}', ${side}.${k}) ELSE '{}' END`,
    ).join(' || ')} END`;
  const r = await c.query<WrittenRow>(
    `WITH u AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                            $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])
         AS u(reference, first_name, last_name, phone, alt_phone, email, address_line1, address_line2, city,
              postcode, country, time_zone, language)
     ),
     old AS MATERIALIZED (
       SELECT d.id, d.reference, ${IMPORT_COLUMNS_OF_DONOR.map((k) => `d.${k}`).join(', ')},
              d.updated_at = $15::timestamptz AS written,
              ${donorReachSql(v.actor, 'd.id', '$16')} AS reachable
         FROM donors d
        WHERE d.reference = ANY ($1::text[])
        FOR UPDATE OF d
     ),
     upd AS (
       UPDATE donors d SET
          first_name = COALESCE(NULLIF(u.first_name, ''), d.first_name),
          last_name = COALESCE(NULLIF(u.last_name, ''), d.last_name),
          phone = COALESCE(u.phone, d.phone),
          alt_phone = COALESCE(u.alt_phone, d.alt_phone),
          email = COALESCE(u.email, d.email),
          address_line1 = COALESCE(u.address_line1, d.address_line1),
          address_line2 = COALESCE(u.address_line2, d.address_line2),
          city = COALESCE(u.city, d.city),
          postcode = COALESCE(u.postcode, d.postcode),
          country = COALESCE(u.country, d.country),
          time_zone = CASE WHEN COALESCE(u.time_zone, 'UTC') = 'UTC' THEN d.time_zone ELSE u.time_zone END,
          language = COALESCE(u.language, d.language),
          updated_at = $15::timestamptz
         FROM old o JOIN u ON u.reference = o.reference
        WHERE d.id = o.id AND NOT o.written AND o.reachable
       RETURNING d.id, ${changedOnly('o')} AS before, ${changedOnly('d')} AS after
     ),
     ins AS (
       INSERT INTO donors AS d (reference, first_name, last_name, phone, alt_phone, email, address_line1,
                                address_line2, city, postcode, country, time_zone, language, created_at, updated_at)
       SELECT u.reference, COALESCE(u.first_name, ''), COALESCE(u.last_name, ''), u.phone, u.alt_phone, u.email,
              u.address_line1, u.address_line2, u.city, u.postcode, u.country, COALESCE(u.time_zone, 'UTC'),
              u.language, $14::timestamptz, $15::timestamptz
         FROM u
        WHERE NOT EXISTS (SELECT 1 FROM old o WHERE o.reference = u.reference)
       ON CONFLICT (reference) DO NOTHING
       RETURNING d.id, d.reference
     ),
     aud AS (
       INSERT INTO audit_log (actor_id, entity_type, entity_id, action, before, after, at)
       SELECT $16::int, 'donor', w.id, 'import', w.before, w.after, $14::timestamptz
         FROM upd w
        WHERE w.after IS NOT NULL
       RETURNING entity_id
     ),
     mem AS (
       INSERT INTO list_members (list_id, donor_id, added_at)
       SELECT $17::int, x.id, $14::timestamptz FROM (SELECT id FROM upd UNION ALL SELECT id FROM ins) x
       ON CONFLICT DO NOTHING
     )
     SELECT u.reference,
            COALESCE(i.id, o.id) AS id,
            CASE WHEN i.id IS NOT NULL THEN 'created'
                 WHEN w.id IS NOT NULL THEN 'updated'
                 WHEN o.written THEN 'earlier_row'
                 WHEN o.id IS NOT NULL THEN 'out_of_reach'
                 ELSE 'concurrent' END AS outcome,
            a.entity_id IS NOT NULL AS changed,
            (i.id IS NOT NULL OR w.id IS NOT NULL)
              AND COALESCE(u.phone, u.alt_phone, o.phone, o.alt_phone) IS NULL AS uncallable
       FROM u
       LEFT JOIN old o ON o.reference = u.reference
       LEFT JOIN upd w ON w.id = o.id
       LEFT JOIN ins i ON i.reference = u.reference
       LEFT JOIN aud a ON a.entity_id = w.id`,
    [
      col('reference'),
      col('first_name'),
      col('last_name'),
      col('phone'),
      col('alt_phone'),
      col('email'),
      col('address_line1'),
      col('address_line2'),
      col('city'),
      col('postcode'),
      col('country'),
      col('time_zone'),
      col('language'),
      v.now,
      v.marker,
      v.actor.id,
      v.listId,
    ],
  );
  return r.rows;
}

export async function insertErrors(c: PgClient, importId: number, errors: RowError[]): Promise<void> {
  if (errors.length === 0) return;
  await c.query(
    `INSERT INTO import_errors (import_id, row_number, reference, field, message, severity)
     SELECT $1::int, * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::import_error_severity[])`,
    [
      importId,
      errors.map((e) => e.row),
      errors.map((e) => e.reference),
      errors.map((e) => e.field),
      errors.map((e) => e.message),
      errors.map((e) => e.severity ?? 'error'),
    ],
  );
}

export async function addCounts(
  c: PgClient,
  id: number,
  n: {
    processed: number;
    created: number;
    updated: number;
    rejected: number;
    duplicates: number;
    uncallable?: number;
    warnings?: number;
  },
): Promise<void> {
  await c.query(
    `UPDATE imports SET processed_rows = processed_rows + $2, created = created + $3, updated = updated + $4,
            rejected = rejected + $5, duplicates = duplicates + $6, uncallable = uncallable + $7, warnings = warnings + $8
      WHERE id = $1`,
    [id, n.processed, n.created, n.updated, n.rejected, n.duplicates, n.uncallable ?? 0, n.warnings ?? 0],
  );
}

export async function markDone(c: PgClient, id: number, at: Date): Promise<ImportRow> {
  const r = await c.query<ImportRow>(
    `UPDATE imports SET status = 'done', finished_at = $2, total_rows = processed_rows, storage_path = NULL
      WHERE id = $1 RETURNING ${IMPORT_COLUMNS}`,
    [id, at],
  );
  return r.rows[0]!;
}

export async function markFailed(c: Queryable, id: number, error: string, at: Date): Promise<void> {
  await c.query(
    `UPDATE imports SET status = 'failed', error = $2, finished_at = $3 WHERE id = $1 AND status = 'running'`,
    [id, error, at],
  );
}

export interface ErrorLineRow {
  id: number;
  row_number: number;
  reference: string | null;
  field: string | null;
  message: string;
  severity: 'error' | 'warning';
}

/** One page of an import's error lines in row order, after (row, id) — keyset paging. */
export async function errorPage(
  c: Queryable,
  importId: number,
  after: { row: number; id: number },
  limit: number,
): Promise<ErrorLineRow[]> {
  const r = await c.query<ErrorLineRow>(
    `SELECT id, row_number, reference, field, message, severity FROM import_errors
      WHERE import_id = $1 AND (row_number, id) > ($2, $3)
      ORDER BY row_number, id LIMIT $4`,
    [importId, after.row, after.id, limit],
  );
  return r.rows;
}

/**
 * Marks imports whose file waited too long (uploaded and never started before `uploadedBefore`,
 * or failed before it) as expired and forgets their file; answers the files to delete.
 */
export async function expireUploads(
  c: Queryable,
  v: { uploadedBefore: Date; message: string; at: Date },
): Promise<string[]> {
  const r = await c.query<{ storage_path: string }>(
    `UPDATE imports i SET status = 'expired', error = $2, finished_at = COALESCE(i.finished_at, $3), storage_path = NULL
       FROM (SELECT id, storage_path FROM imports
              WHERE storage_path IS NOT NULL
                AND ((status = 'uploaded' AND created_at < $1) OR (status = 'failed' AND finished_at < $1))
              FOR UPDATE) old
      WHERE i.id = old.id
      RETURNING old.storage_path`,
    [v.uploadedBefore, v.message, v.at],
  );
  return r.rows.map((x) => x.storage_path);
}

/** Deletes an import that was never started; answers it, or null when it is not (or no longer) waiting. */
export async function deleteUnstarted(c: PgClient, id: number): Promise<ImportRow | null> {
  const r = await c.query<ImportRow>(
    `DELETE FROM imports WHERE id = $1 AND status = 'uploaded' RETURNING ${IMPORT_COLUMNS}`,
    [id],
  );
  return r.rows[0] ?? null;
}

/** Every file an import still refers to. */
export async function uploadPaths(c: Queryable): Promise<Set<string>> {
  const r = await c.query<{ storage_path: string }>('SELECT storage_path FROM imports WHERE storage_path IS NOT NULL');
  return new Set(r.rows.map((x) => x.storage_path));
}
