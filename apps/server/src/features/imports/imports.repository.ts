import type pg from 'pg';
import type { ImportMapping, ImportStatus } from '@engage/contracts';
import type { PgClient } from '../../lib/tx';
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
  status: ImportStatus;
  mapping: ImportMapping | null;
  default_country: string | null;
  total_rows: number | null;
  processed_rows: number;
  created: number;
  updated: number;
  rejected: number;
  duplicates: number;
  error: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

const IMPORT_COLUMNS = `id, list_id, file_name, storage_path, size_bytes, status, mapping, default_country, total_rows,
  processed_rows, created, updated, rejected, duplicates, error, created_at, started_at, finished_at`;

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
    totalRows: number;
    at: Date;
  },
): Promise<ImportRow> {
  const r = await c.query<ImportRow>(
    `INSERT INTO imports (list_id, created_by, file_name, storage_path, size_bytes, total_rows, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${IMPORT_COLUMNS}`,
    [v.listId, v.createdBy, v.fileName, v.storagePath, v.sizeBytes, v.totalRows, v.at],
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
            error = NULL, processed_rows = 0, created = 0, updated = 0, rejected = 0, duplicates = 0
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

export interface UpsertedDonor {
  id: number;
  reference: string;
  inserted: boolean;
}

/**
 * One batch of donors in one statement: new references are inserted, existing ones updated
 * (a value the row leaves empty keeps what the donor has). `RETURNING (xmax = 0)` tells an
 * insert from an update. A reference this run has already written (its updated_at is the
 * run's marker) is left alone and not returned: an earlier row of the same file had it.
 */
export async function upsertDonors(
  c: PgClient,
  donors: DonorInput[],
  marker: string,
  now: Date,
): Promise<UpsertedDonor[]> {
  if (donors.length === 0) return [];
  const col = <K extends keyof DonorInput>(k: K) => donors.map((d) => d[k]);
  const r = await c.query<UpsertedDonor>(
    `INSERT INTO donors AS d (reference, first_name, last_name, phone, alt_phone, email, address_line1, address_line2,
                              city, postcode, country, time_zone, language, created_at, updated_at)
     SELECT u.reference, COALESCE(u.first_name, ''), COALESCE(u.last_name, ''), u.phone, u.alt_phone, u.email,
            u.address_line1, u.address_line2, u.city, u.postcode, u.country, COALESCE(u.time_zone, 'UTC'), u.language,
            $14::timestamptz, $15::timestamptz
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                   $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])
            AS u(reference, first_name, last_name, phone, alt_phone, email, address_line1, address_line2, city,
                 postcode, country, time_zone, language)
     ON CONFLICT (reference) DO UPDATE SET
        first_name = COALESCE(NULLIF(EXCLUDED.first_name, ''), d.first_name),
        last_name = COALESCE(NULLIF(EXCLUDED.last_name, ''), d.last_name),
        phone = COALESCE(EXCLUDED.phone, d.phone),
        alt_phone = COALESCE(EXCLUDED.alt_phone, d.alt_phone),
        email = COALESCE(EXCLUDED.email, d.email),
        address_line1 = COALESCE(EXCLUDED.address_line1, d.address_line1),
        address_line2 = COALESCE(EXCLUDED.address_line2, d.address_line2),
        city = COALESCE(EXCLUDED.city, d.city),
        postcode = COALESCE(EXCLUDED.postcode, d.postcode),
        country = COALESCE(EXCLUDED.country, d.country),
        time_zone = CASE WHEN EXCLUDED.time_zone = 'UTC' THEN d.time_zone ELSE EXCLUDED.time_zone END,
        language = COALESCE(EXCLUDED.language, d.language),
        updated_at = EXCLUDED.updated_at
      WHERE d.updated_at IS DISTINCT FROM EXCLUDED.updated_at
     RETURNING d.id, d.reference, (d.xmax = 0) AS inserted`,
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
      now,
      marker,
    ],
  );
  return r.rows;
}

export async function addListMembers(c: PgClient, listId: number, donorIds: number[], now: Date): Promise<void> {
  if (donorIds.length === 0) return;
  await c.query(
    `INSERT INTO list_members (list_id, donor_id, added_at) SELECT $1::int, unnest($2::int[]), $3::timestamptz ON CONFLICT DO NOTHING`,
    [listId, donorIds, now],
  );
}

export async function insertErrors(c: PgClient, importId: number, errors: RowError[]): Promise<void> {
  if (errors.length === 0) return;
  await c.query(
    `INSERT INTO import_errors (import_id, row_number, reference, field, message)
     SELECT $1::int, * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[])`,
    [
      importId,
      errors.map((e) => e.row),
      errors.map((e) => e.reference),
      errors.map((e) => e.field),
      errors.map((e) => e.message),
    ],
  );
}

export async function addCounts(
  c: PgClient,
  id: number,
  n: { processed: number; created: number; updated: number; rejected: number; duplicates: number },
): Promise<void> {
  await c.query(
    `UPDATE imports SET processed_rows = processed_rows + $2, created = created + $3, updated = updated + $4,
            rejected = rejected + $5, duplicates = duplicates + $6
      WHERE id = $1`,
    [id, n.processed, n.created, n.updated, n.rejected, n.duplicates],
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
}

/** One page of an import's error lines in row order, after (row, id) — keyset paging. */
export async function errorPage(
  c: Queryable,
  importId: number,
  after: { row: number; id: number },
  limit: number,
): Promise<ErrorLineRow[]> {
  const r = await c.query<ErrorLineRow>(
    `SELECT id, row_number, reference, field, message FROM import_errors
      WHERE import_id = $1 AND (row_number, id) > ($2, $3)
      ORDER BY row_number, id LIMIT $4`,
    [importId, after.row, after.id, limit],
  );
  return r.rows;
}
