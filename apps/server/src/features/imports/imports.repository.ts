import {
  and,
  asc,
  desc,
  eq,
  getTableColumns,
  inArray,
  isNotNull,
  lt,
  or,
  sql,
  type SQL,
  type SQLWrapper,
} from 'drizzle-orm';
import { CasingCache } from 'drizzle-orm/casing';
import { alias, type PgColumn } from 'drizzle-orm/pg-core';
import type { DbOrTx, Tx } from '../../db/client';
import { auditLog, donors, importErrors, imports, listMembers, lists } from '../../db/schema';
import { donorReach, type DonorReacher } from '../donors/donor-reach';
import type { DonorInput, RowError } from './imports.rows';

/** Advisory lock class of running imports: the lock (IMPORT_LOCK, import id) is held while one runs. */
export const IMPORT_LOCK = 0x494d50; // "IMP"

export type ImportRow = typeof imports.$inferSelect;

export async function listExists(db: DbOrTx, listId: number) {
  const [row] = await db.select({ id: lists.id, name: lists.name }).from(lists).where(eq(lists.id, listId));
  return row ?? null;
}

export async function insertImport(
  db: DbOrTx,
  v: {
    listId: number;
    createdBy: number;
    fileName: string;
    storagePath: string;
    sizeBytes: number;
    encoding: ImportRow['encoding'];
    totalRows: number;
    at: Date;
  },
): Promise<ImportRow> {
  const [row] = await db
    .insert(imports)
    .values({
      listId: v.listId,
      createdBy: v.createdBy,
      fileName: v.fileName,
      storagePath: v.storagePath,
      sizeBytes: v.sizeBytes,
      encoding: v.encoding,
      totalRows: v.totalRows,
      createdAt: v.at,
    })
    .returning();
  return row!;
}

export async function findImport(db: DbOrTx, id: number): Promise<ImportRow | null> {
  const [row] = await db.select().from(imports).where(eq(imports.id, id));
  return row ?? null;
}

export async function importsOfList(db: DbOrTx, listId: number, limit: number): Promise<ImportRow[]> {
  return db
    .select()
    .from(imports)
    .where(eq(imports.listId, listId))
    .orderBy(desc(imports.createdAt), desc(imports.id))
    .limit(limit);
}

export async function runningImportIds(db: DbOrTx): Promise<number[]> {
  const rows = await db.select({ id: imports.id }).from(imports).where(eq(imports.status, 'running'));
  return rows.map((x) => x.id);
}

/** Takes the import's run lock on this session; false when another session holds it. */
export async function tryLockImport(conn: Tx, id: number): Promise<boolean> {
  const r = await conn.execute<{ ok: boolean }>(sql`SELECT pg_try_advisory_lock(${IMPORT_LOCK}, ${id}) AS ok`);
  return r.rows[0]?.ok ?? false;
}

export async function unlockImport(conn: Tx, id: number): Promise<void> {
  await conn.execute(sql`SELECT pg_advisory_unlock(${IMPORT_LOCK}, ${id})`);
}

/**
 * Marks the import running with its mapping, its counters at zero; answers the row and a marker
 * unique to this run (the database clock, to the microsecond) that the run writes into
 * donors.updated_at. Null when the import is not waiting to start (uploaded, or failed).
 */
export async function markRunning(
  tx: Tx,
  id: number,
  v: { mapping: NonNullable<ImportRow['mapping']>; defaultCountry: string; at: Date },
): Promise<{ row: ImportRow; marker: string } | null> {
  const [row] = await tx
    .update(imports)
    .set({
      status: 'running',
      mapping: v.mapping,
      defaultCountry: v.defaultCountry,
      startedAt: v.at,
      finishedAt: null,
      error: null,
      processedRows: 0,
      created: 0,
      updated: 0,
      rejected: 0,
      duplicates: 0,
      uncallable: 0,
      warnings: 0,
    })
    .where(and(eq(imports.id, id), inArray(imports.status, ['uploaded', 'failed']), isNotNull(imports.storagePath)))
    .returning({ ...getTableColumns(imports), marker: sql<string>`clock_timestamp()::text` });
  if (!row) return null;
  await tx.delete(importErrors).where(eq(importErrors.importId, id));
  const { marker, ...rest } = row;
  return { row: rest, marker };
}

/** The reference a donor of an import without a reference column gets: unique, and found again by a rerun. */
export function generatedReferenceSql(importId: number, row: SQL): SQL {
  return sql`'IMP-' || ${importId}::int || '-' || ${row}`;
}

/** A column's name in SQL, unqualified (a SET target, an INSERT's column list, a JSON key). */
const casing = new CasingCache('snake_case');
const nameOf = (column: PgColumn) => casing.getColumnCasing(column);

/** One array parameter per field, spread by `unnest` in the statement. */
const arrayOf = (values: unknown[], type: string) => sql`${sql.param(values)}::${sql.raw(type)}[]`;

const d = alias(donors, 'd');

/** The found donor `d` is the row `u`'s person: the same name, or the row names nobody. */
const SAME_NAME = sql`((coalesce(u.first_name, '') = '' AND coalesce(u.last_name, '') = '')
  OR (lower(${d.firstName}) = lower(coalesce(u.first_name, '')) AND lower(${d.lastName}) = lower(coalesce(u.last_name, ''))))`;

/** What matchDonors looks each row up by. */
export type MatchKeys = Pick<DonorInput, 'row' | 'phone' | 'alt_phone' | 'email' | 'first_name' | 'last_name'>;

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
export function matchDonorsSql(importId: number, rows: readonly MatchKeys[]): SQL {
  const generated = generatedReferenceSql(importId, sql`u.row`);
  const keys = sql.join(
    [
      arrayOf(
        rows.map((r) => r.row),
        'int',
      ),
      ...(['phone', 'alt_phone', 'email', 'first_name', 'last_name'] as const).map((k) =>
        arrayOf(
          rows.map((r) => r[k]),
          'text',
        ),
      ),
    ],
    sql`, `,
  );
  return sql`
  SELECT u.row,
         COALESCE(
           (SELECT ${d.reference} FROM ${donors} d WHERE ${d.reference} = ${generated}),
           (SELECT m.reference FROM (SELECT ${d.id}, ${d.reference} FROM ${donors} d
                                      WHERE ${d.phone} = ANY (ARRAY[u.phone, u.alt_phone]) AND ${SAME_NAME}
                                     UNION
                                     SELECT ${d.id}, ${d.reference} FROM ${donors} d
                                      WHERE ${d.altPhone} = ANY (ARRAY[u.phone, u.alt_phone]) AND ${SAME_NAME}
                                     OFFSET 0) m
             ORDER BY m.id LIMIT 1),
           (SELECT m.reference FROM (SELECT ${d.id}, ${d.reference} FROM ${donors} d
                                      WHERE lower(${d.email}) = lower(u.email) AND ${SAME_NAME} OFFSET 0) m
             ORDER BY m.id LIMIT 1)
         ) AS matched,
         ${generated} AS generated
    FROM unnest(${keys})
         AS u(row, phone, alt_phone, email, first_name, last_name)`;
}

export type DonorMatch = Pick<DonorInput, 'row'> & {
  /** The existing donor's reference, or null: a new donor, with the generated one. */
  matched: DonorReference | null;
  generated: DonorReference;
};
type DonorReference = (typeof donors.$inferSelect)['reference'];

export async function matchDonors(tx: Tx, importId: number, rows: MatchKeys[]): Promise<DonorMatch[]> {
  if (rows.length === 0) return [];
  const r = await tx.execute<DonorMatch>(matchDonorsSql(importId, rows));
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

type DonorRow = typeof donors.$inferSelect;

export type WrittenRow = Pick<DonorRow, 'reference'> & {
  id: DonorRow['id'] | null;
  outcome: WriteOutcome;
  changed: boolean;
  /** Written, with neither phone nor other phone: the dialer will not call this donor. */
  uncallable: boolean;
};

/** The donor columns an import writes: the row's field (also the statement's name for it) and the column. */
const IMPORTED = {
  first_name: 'firstName',
  last_name: 'lastName',
  phone: 'phone',
  alt_phone: 'altPhone',
  email: 'email',
  address_line1: 'addressLine1',
  address_line2: 'addressLine2',
  city: 'city',
  postcode: 'postcode',
  country: 'country',
  time_zone: 'timeZone',
  language: 'language',
} as const satisfies Partial<Record<keyof DonorInput, keyof DonorRow>>;
const IMPORTED_FIELDS = Object.keys(IMPORTED) as (keyof typeof IMPORTED)[];

/** Column names, unqualified: an INSERT's column list, ON CONFLICT's target. */
const columnList = (...columns: PgColumn[]) =>
  sql.join(
    columns.map((c) => sql.identifier(nameOf(c))),
    sql`, `,
  );
/** A SET target. */
const target = (column: PgColumn) => sql.identifier(nameOf(column));

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
  tx: Tx,
  v: { donors: (DonorInput & { reference: string })[]; actor: DonorReacher; listId: number; marker: string; now: Date },
): Promise<WrittenRow[]> {
  if (v.donors.length === 0) return [];
  if (!Number.isSafeInteger(v.actor.id)) throw new Error(`writeDonors: not a user id: ${v.actor.id}`);
  const references = arrayOf(
    v.donors.map((x) => x.reference),
    'text',
  );
  const fields = IMPORTED_FIELDS.map((f) =>
    arrayOf(
      v.donors.map((x) => x[f]),
      'text',
    ),
  );
  // The columns that changed, before and after, as JSON objects; null when nothing changed. Plain
  // expressions (no subquery per row), worked out only for a donor whose values differ.
  type Side = (f: keyof typeof IMPORTED) => SQLWrapper;
  const before: Side = (f) => sql.raw(`o.${f}`);
  const after: Side = (f) => d[IMPORTED[f]];
  const all = (side: Side) => sql`(${sql.join(IMPORTED_FIELDS.map(side), sql`, `)})`;
  const changedOnly = (side: Side) =>
    sql`CASE WHEN ${all(before)} IS DISTINCT FROM ${all(after)} THEN ${sql.join(
      IMPORTED_FIELDS.map(
        (f) =>
          sql`CASE WHEN ${before(f)} IS DISTINCT FROM ${after(f)} THEN jsonb_build_object(${sql.raw(`'${f}'`)}, ${side(f)}) ELSE '{}' END`,
      ),
      sql` || `,
    )} END`;
  const now = sql`${v.now}::timestamptz`;
  const marker = sql`${v.marker}::timestamptz`;
  const actorId = sql`${v.actor.id}::int`;
  const r = await tx.execute<WrittenRow>(sql`WITH u AS (
       SELECT * FROM unnest(${references}, ${sql.join(fields, sql`, `)})
         AS u(reference, ${sql.raw(IMPORTED_FIELDS.join(', '))})
     ),
     old AS MATERIALIZED (
       SELECT ${d.id}, ${d.reference}, ${sql.join(
         IMPORTED_FIELDS.map((f) => d[IMPORTED[f]]),
         sql`, `,
       )},
              ${d.updatedAt} = ${marker} AS written,
              ${donorReach(v.actor, d.id)} AS reachable
         FROM ${donors} d
        WHERE ${d.reference} = ANY (${references})
        FOR UPDATE OF d
     ),
     upd AS (
       UPDATE ${donors} d SET
          ${target(donors.firstName)} = COALESCE(NULLIF(u.first_name, ''), ${d.firstName}),
          ${target(donors.lastName)} = COALESCE(NULLIF(u.last_name, ''), ${d.lastName}),
          ${target(donors.phone)} = COALESCE(u.phone, ${d.phone}),
          ${target(donors.altPhone)} = COALESCE(u.alt_phone, ${d.altPhone}),
          ${target(donors.email)} = COALESCE(u.email, ${d.email}),
          ${target(donors.addressLine1)} = COALESCE(u.address_line1, ${d.addressLine1}),
          ${target(donors.addressLine2)} = COALESCE(u.address_line2, ${d.addressLine2}),
          ${target(donors.city)} = COALESCE(u.city, ${d.city}),
          ${target(donors.postcode)} = COALESCE(u.postcode, ${d.postcode}),
          ${target(donors.country)} = COALESCE(u.country, ${d.country}),
          ${target(donors.timeZone)} = CASE WHEN COALESCE(u.time_zone, 'UTC') = 'UTC' THEN ${d.timeZone} ELSE u.time_zone END,
          ${target(donors.language)} = COALESCE(u.language, ${d.language}),
          ${target(donors.updatedAt)} = ${marker}
         FROM old o JOIN u ON u.reference = o.reference
        WHERE ${d.id} = o.id AND NOT o.written AND o.reachable
       RETURNING ${d.id}, ${changedOnly(before)} AS before, ${changedOnly(after)} AS after
     ),
     ins AS (
       INSERT INTO ${donors} AS d (${columnList(
         donors.reference,
         ...IMPORTED_FIELDS.map((f) => donors[IMPORTED[f]]),
         donors.createdAt,
         donors.updatedAt,
       )})
       SELECT u.reference, COALESCE(u.first_name, ''), COALESCE(u.last_name, ''), u.phone, u.alt_phone, u.email,
              u.address_line1, u.address_line2, u.city, u.postcode, u.country, COALESCE(u.time_zone, 'UTC'),
              u.language, ${now}, ${marker}
         FROM u
        WHERE NOT EXISTS (SELECT 1 FROM old o WHERE o.reference = u.reference)
       ON CONFLICT (${columnList(donors.reference)}) DO NOTHING
       RETURNING ${d.id}, ${d.reference}
     ),
     aud AS (
       INSERT INTO ${auditLog} (${columnList(
         auditLog.actorId,
         auditLog.entityType,
         auditLog.entityId,
         auditLog.action,
         auditLog.before,
         auditLog.after,
         auditLog.at,
       )})
       SELECT ${actorId}, 'donor', w.id, 'import', w.before, w.after, ${now}
         FROM upd w
        WHERE w.after IS NOT NULL
       RETURNING ${auditLog.entityId}
     ),
     mem AS (
       INSERT INTO ${listMembers} (${columnList(listMembers.listId, listMembers.donorId, listMembers.addedAt)})
       SELECT ${v.listId}::int, x.id, ${now} FROM (SELECT id FROM upd UNION ALL SELECT id FROM ins) x
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
       LEFT JOIN aud a ON a.entity_id = w.id`);
  return r.rows;
}

export async function insertErrors(tx: Tx, importId: number, errors: RowError[]): Promise<void> {
  if (errors.length === 0) return;
  await tx.execute(
    sql`INSERT INTO ${importErrors} (${columnList(
      importErrors.importId,
      importErrors.rowNumber,
      importErrors.reference,
      importErrors.field,
      importErrors.message,
      importErrors.severity,
    )})
     SELECT ${importId}::int, * FROM unnest(${arrayOf(
       errors.map((e) => e.row),
       'int',
     )}, ${arrayOf(
       errors.map((e) => e.reference),
       'text',
     )}, ${arrayOf(
       errors.map((e) => e.field),
       'text',
     )}, ${arrayOf(
       errors.map((e) => e.message),
       'text',
     )}, ${arrayOf(
       errors.map((e) => e.severity ?? 'error'),
       'import_error_severity',
     )})`,
  );
}

export async function addCounts(
  tx: Tx,
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
  await tx
    .update(imports)
    .set({
      processedRows: sql`${imports.processedRows} + ${n.processed}`,
      created: sql`${imports.created} + ${n.created}`,
      updated: sql`${imports.updated} + ${n.updated}`,
      rejected: sql`${imports.rejected} + ${n.rejected}`,
      duplicates: sql`${imports.duplicates} + ${n.duplicates}`,
      uncallable: sql`${imports.uncallable} + ${n.uncallable ?? 0}`,
      warnings: sql`${imports.warnings} + ${n.warnings ?? 0}`,
    })
    .where(eq(imports.id, id));
}

export async function markDone(tx: Tx, id: number, at: Date): Promise<ImportRow> {
  const [row] = await tx
    .update(imports)
    .set({ status: 'done', finishedAt: at, totalRows: sql`${imports.processedRows}`, storagePath: null })
    .where(eq(imports.id, id))
    .returning();
  return row!;
}

export async function markFailed(db: DbOrTx, id: number, error: string, at: Date): Promise<void> {
  await db
    .update(imports)
    .set({ status: 'failed', error, finishedAt: at })
    .where(and(eq(imports.id, id), eq(imports.status, 'running')));
}

/** One page of an import's error lines in row order, after (row, id) — keyset paging. */
export async function errorPage(db: DbOrTx, importId: number, after: { row: number; id: number }, limit: number) {
  return db
    .select({
      id: importErrors.id,
      rowNumber: importErrors.rowNumber,
      reference: importErrors.reference,
      field: importErrors.field,
      message: importErrors.message,
      severity: importErrors.severity,
    })
    .from(importErrors)
    .where(
      and(
        eq(importErrors.importId, importId),
        sql`(${importErrors.rowNumber}, ${importErrors.id}) > (${after.row}, ${after.id})`,
      ),
    )
    .orderBy(asc(importErrors.rowNumber), asc(importErrors.id))
    .limit(limit);
}

export type ErrorLineRow = Awaited<ReturnType<typeof errorPage>>[number];

/**
 * Marks imports whose file waited too long (uploaded and never started before `uploadedBefore`,
 * or failed before it) as expired and forgets their file; answers the files to delete.
 */
export async function expireUploads(
  db: DbOrTx,
  v: { uploadedBefore: Date; message: string; at: Date },
): Promise<string[]> {
  const old = db
    .select({ id: imports.id, storagePath: imports.storagePath })
    .from(imports)
    .where(
      and(
        isNotNull(imports.storagePath),
        or(
          and(eq(imports.status, 'uploaded'), lt(imports.createdAt, v.uploadedBefore)),
          and(eq(imports.status, 'failed'), lt(imports.finishedAt, v.uploadedBefore)),
        ),
      ),
    )
    .for('update')
    .as('old');
  const rows = await db
    .update(imports)
    .set({
      status: 'expired',
      error: v.message,
      finishedAt: sql`COALESCE(${imports.finishedAt}, ${v.at}::timestamptz)`,
      storagePath: null,
    })
    .from(old)
    .where(eq(imports.id, old.id))
    .returning({ storagePath: old.storagePath });
  return rows.map((x) => x.storagePath!);
}

/** Deletes an import that was never started; answers it, or null when it is not (or no longer) waiting. */
export async function deleteUnstarted(tx: Tx, id: number): Promise<ImportRow | null> {
  const [row] = await tx
    .delete(imports)
    .where(and(eq(imports.id, id), eq(imports.status, 'uploaded')))
    .returning();
  return row ?? null;
}

/** Every file an import still refers to. */
export async function uploadPaths(db: DbOrTx): Promise<Set<string>> {
  const rows = await db
    .select({ storagePath: imports.storagePath })
    .from(imports)
    .where(isNotNull(imports.storagePath));
  return new Set(rows.map((x) => x.storagePath!));
}
