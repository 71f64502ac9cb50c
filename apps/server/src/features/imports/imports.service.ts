import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import type { FastifyBaseLogger } from 'fastify';
import type {
  ErrorIssue,
  Import,
  ImportEncoding,
  ImportField,
  ImportMapping,
  ImportStatus,
  StartImportBody,
  UploadedImport,
} from '@engage/contracts';
import { importMappingMatchIssue } from '@engage/contracts';
import type { Config } from '../../env';
import type { Db, Tx } from '../../db/client';
import { audit } from '../../lib/audit';
import { AppError } from '../../lib/errors';
import { hasRole } from '../../lib/guard';
import { allowLongStatements, inTransaction, withConnection, withTransaction } from '../../lib/tx';
import type { DialerService } from '../dialer/dialer.service';
import { isPhoneCountry } from '../donors/donor-fields';
import { IMPORT_OUT_OF_REACH_MESSAGE, type DonorReacher } from '../donors/donor-reach';
import { csvStream, fileNameOf } from '../lists/csv';
import {
  csvOptions,
  CsvScanner,
  detectDelimiter,
  isBlankRecord,
  readPreview,
  suggestMapping,
  uniqueHeaders,
  windows1252ToUtf8,
} from './imports.file';
import * as repo from './imports.repository';
import { PhoneIndex } from './phone-index';
import { columnPlan, validateRow, type ColumnPlan, type DonorInput, type RowError } from './imports.rows';

/** The importer: who they are decides which existing donors the import may change (donor-reach.ts). */
export type ImportActor = DonorReacher;

export type ImportsService = ReturnType<typeof createImportsService>;

/** Rows per transaction: big enough to be fast, small enough to keep memory flat and progress lively. */
export const BATCH_SIZE = 2000;

const ORPHANED =
  'The server running this import stopped before it finished. Start it again: rows already imported are updated, not duplicated.';
const STOPPED =
  'The server was stopped during this import. Start it again: rows already imported are updated, not duplicated.';

function toImport(r: repo.ImportRow, now: Date): Import {
  return {
    id: r.id,
    listId: r.listId,
    fileName: r.fileName,
    sizeBytes: r.sizeBytes,
    encoding: r.encoding,
    uploadedBy: r.createdBy,
    status: r.status,
    mapping: r.mapping,
    defaultCountry: r.defaultCountry,
    totalRows: r.totalRows,
    processedRows: r.processedRows,
    created: r.created,
    updated: r.updated,
    rejected: r.rejected,
    duplicates: r.duplicates,
    uncallable: r.uncallable,
    warnings: r.warnings,
    error: r.error,
    createdAt: r.createdAt.toISOString(),
    startedAt: r.startedAt?.toISOString() ?? null,
    finishedAt: r.finishedAt?.toISOString() ?? null,
    durationMs: r.startedAt
      ? Math.max(0, (r.finishedAt ?? (r.status === 'running' ? now : r.startedAt)).getTime() - r.startedAt.getTime())
      : null,
  };
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KB`;
  return `${n} bytes`;
}

/** 413 for a file over IMPORT_MAX_BYTES; the connection closes rather than read the rest. */
export function tooLarge(maxBytes: number): AppError {
  return new AppError(
    'payload_too_large',
    `The file is larger than the ${formatBytes(maxBytes)} an import accepts. Split it into smaller files and import them one after the other.`,
    { headers: { connection: 'close' } },
  );
}

/** The name the user's file had, without any folder part. */
function cleanFileName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop()?.normalize('NFC').trim() ?? '';
  return (base || 'upload.csv').slice(0, 255);
}

const NO_CALLABLE_PHONE =
  'No phone number: this donor was imported but will not be called. Add a phone number to the donor, or to the file and import it again.';

/** Why an import cannot be resumed or deleted now, by its status. */
function notWaiting(status: Exclude<ImportStatus, 'uploaded'>): string {
  switch (status) {
    case 'running':
      return 'This import is running: it cannot be deleted or started again. Follow its progress on the list page.';
    case 'done':
      return 'This import has already run and is kept with its report. To import the file again, upload it again.';
    case 'failed':
      return 'This import has already run part of its rows and is kept with its report: start it again instead.';
    case 'expired':
      return 'This upload has expired and its file was deleted. Upload the file again to import it.';
  }
}

const notFound = () => new AppError('not_found', 'No such import. Open the list and start the import again.');

/**
 * CSV imports into a list (PRODUCT.md, "Teams, campaigns, lists"): upload with a preview and a
 * suggested mapping, then a background run in this process that streams the file in batches,
 * one transaction each, with progress, counts and a per-row error report.
 */
interface ImportSlot {
  actorId: number;
  ending: boolean;
}

export function createImportsService(deps: {
  db: Db;
  now: () => Date;
  config: Pick<
    Config,
    | 'IMPORT_MAX_BYTES'
    | 'UPLOAD_DIR'
    | 'dataDir'
    | 'IMPORT_UPLOAD_EXPIRY_HOURS'
    | 'IMPORTS_MAX_RUNNING'
    | 'IMPORTS_MAX_RUNNING_PER_USER'
  >;
  dialer: Pick<DialerService, 'syncListQueues' | 'donorsChanged'>;
  log: FastifyBaseLogger;
}) {
  const { db, now, config, log } = deps;
  const uploadDir = config.UPLOAD_DIR ? path.resolve(config.UPLOAD_DIR) : path.join(config.dataDir, 'uploads');
  /** Imports this process is running, by id. */
  const running = new Map<number, { abort: AbortController; done: Promise<void> }>();
  /** Who runs (or is starting) an import in this process: one entry each, for the caps. */
  /**
   * The runs of this process, for the caps below. A run is `ending` once its outcome is written
   * (done or failed): the uploader sees it finished and may start the next one while it tidies up
   * (the file, the campaigns' queues), but it still counts toward the server's cap.
   */
  const slots = new Set<ImportSlot>();

  // ------------------------------------------------------------------ upload

  /**
   * Streams the upload straight to a file under UPLOAD_DIR, checking its encoding and counting
   * its rows on the way; answers the import and a preview of its first rows.
   */
  async function upload(
    actor: ImportActor,
    listId: number,
    file: { fileName: string | undefined; stream: Readable; truncated: () => boolean },
  ): Promise<UploadedImport> {
    const list = await repo.listExists(db, listId);
    if (!list) {
      file.stream.resume();
      throw new AppError('not_found', 'No such list. It may have been removed: open Lists and pick it again.');
    }
    await fs.promises.mkdir(uploadDir, { recursive: true });
    const storagePath = path.join(uploadDir, `import-${randomUUID()}.csv`);
    const scanner = new CsvScanner();
    try {
      try {
        await pipeline(file.stream, scanner, fs.createWriteStream(storagePath, { flags: 'wx', mode: 0o600 }));
      } catch (err) {
        const code = (err as { code?: string }).code;
        // A broken upload (connection cut, malformed multipart) is the client's; disk errors are ours.
        if (!(err instanceof AppError) && code !== 'FST_REQ_FILE_TOO_LARGE' && !/^E[A-Z]+$/.test(code ?? '')) {
          throw new AppError('bad_request', 'The file did not arrive whole. Upload it again.');
        }
        throw err;
      }
      if (file.truncated()) throw tooLarge(config.IMPORT_MAX_BYTES);
      // The one place an upload's encoding is dealt with: from here on the stored file is UTF-8.
      const encoding: ImportEncoding = scanner.utf8 ? 'utf-8' : 'windows-1252';
      if (encoding === 'windows-1252') await windows1252ToUtf8(storagePath);
      const preview = await readPreview(storagePath);
      const row = await repo.insertImport(db, {
        listId,
        createdBy: actor.id,
        fileName: cleanFileName(file.fileName),
        storagePath,
        sizeBytes: scanner.bytes,
        encoding,
        totalRows: Math.max(0, scanner.records - 1),
        at: now(),
      });
      return {
        import: toImport(row, now()),
        preview: { ...preview, suggestedMapping: suggestMapping(preview.headers) },
      };
    } catch (err) {
      await fs.promises.rm(storagePath, { force: true });
      if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(config.IMPORT_MAX_BYTES);
      throw err;
    }
  }

  // ------------------------------------------------------------------ reading

  /** Marks imports left 'running' by a process that is gone as failed (their run lock is free). */
  async function reapOrphans(): Promise<void> {
    const ids = (await repo.runningImportIds(db)).filter((id) => !running.has(id));
    if (ids.length === 0) return;
    await withConnection(db, async (conn) => {
      for (const id of ids) {
        if (!(await repo.tryLockImport(conn, id))) continue; // alive in another process
        try {
          await repo.markFailed(conn, id, ORPHANED, now());
        } finally {
          await repo.unlockImport(conn, id);
        }
      }
    });
  }

  async function requireImport(importId: number): Promise<repo.ImportRow> {
    let row = await repo.findImport(db, importId);
    if (row?.status === 'running' && !running.has(row.id)) {
      await reapOrphans();
      row = await repo.findImport(db, importId);
    }
    if (!row) throw notFound();
    return row;
  }

  /**
   * Who may start, resume or delete an import: the manager who uploaded its file, or an
   * administrator (anyone else still sees it, like every import of a list). The one home of it.
   */
  function requireOwner(actor: ImportActor, imp: repo.ImportRow): void {
    if (imp.createdBy === actor.id || hasRole(actor, 'admin')) return;
    throw new AppError(
      'forbidden',
      'Only the manager who uploaded this file, or an administrator, can start or delete this import. Ask them, or upload the file yourself.',
    );
  }

  /**
   * An upload waiting to start (or a failed import) again with its preview and mapping, to
   * resume it: the mapping step opens as right after the upload. A failed import's own mapping
   * is suggested.
   */
  async function preview(actor: ImportActor, importId: number): Promise<UploadedImport> {
    const imp = await requireImport(importId);
    requireOwner(actor, imp);
    if (imp.status !== 'uploaded' && imp.status !== 'failed') {
      throw new AppError('conflict', notWaiting(imp.status));
    }
    if (!imp.storagePath || !fs.existsSync(imp.storagePath)) {
      throw new AppError('conflict', 'The uploaded file is no longer on the server. Upload it again.');
    }
    const p = await readPreview(imp.storagePath);
    return {
      import: toImport(imp, now()),
      preview: { ...p, suggestedMapping: imp.mapping ?? suggestMapping(p.headers) },
    };
  }

  /** Deletes an upload never started: its row and its stored file; audited on the list. */
  async function remove(actor: ImportActor, importId: number): Promise<void> {
    const imp = await requireImport(importId);
    requireOwner(actor, imp);
    if (imp.status !== 'uploaded') throw new AppError('conflict', notWaiting(imp.status));
    const deleted = await withTransaction(db, async (tx) => {
      const row = await repo.deleteUnstarted(tx, importId);
      if (!row)
        throw new AppError('conflict', 'This import has just been started. Reload the page to see its progress.');
      await audit(tx, {
        actorId: actor.id,
        entityType: 'list',
        entityId: row.listId,
        action: 'import_deleted',
        before: { importId, fileName: row.fileName, sizeBytes: row.sizeBytes, uploadedBy: row.createdBy },
        at: now(),
      });
      return row;
    });
    if (deleted.storagePath) await fs.promises.rm(deleted.storagePath, { force: true });
  }

  async function get(importId: number): Promise<Import> {
    return toImport(await requireImport(importId), now());
  }

  async function listOfList(listId: number): Promise<Import[]> {
    if (!(await repo.listExists(db, listId))) {
      throw new AppError('not_found', 'No such list. It may have been removed: open Lists and pick it again.');
    }
    let rows = await repo.importsOfList(db, listId, 20);
    if (rows.some((r) => r.status === 'running' && !running.has(r.id))) {
      await reapOrphans();
      rows = await repo.importsOfList(db, listId, 20);
    }
    return rows.map((r) => toImport(r, now()));
  }

  /** The error report: row number, reference, field, message, severity (error: not imported; warning: imported); cells neutralised like every export. */
  async function errorsCsv(importId: number): Promise<{ fileName: string; stream: Readable }> {
    const imp = await requireImport(importId);
    async function* pages(): AsyncGenerator<repo.ErrorLineRow[]> {
      let after = { row: 0, id: 0 };
      for (;;) {
        const page = await repo.errorPage(db, importId, after, 5000);
        yield page;
        const last = page.at(-1);
        if (!last || page.length < 5000) return;
        after = { row: last.rowNumber, id: last.id };
      }
    }
    const stream = csvStream(['row', 'reference', 'field', 'message', 'severity'], pages, (e) => [
      e.rowNumber,
      e.reference,
      e.field,
      e.message,
      e.severity,
    ]);
    return { fileName: fileNameOf(imp.fileName.replace(/\.csv$/i, ''), '-errors.csv'), stream };
  }

  // ------------------------------------------------------------------ capacity and expiry

  /**
   * A running import holds a database connection for its whole run, and now and then a second
   * one (IMPORT_CONNECTIONS): this process runs at most IMPORTS_MAX_RUNNING of them, which
   * env.ts keeps within half of the pool, and one person at most IMPORTS_MAX_RUNNING_PER_USER.
   */
  function takeSlot(actor: ImportActor): ImportSlot {
    const mine = [...slots].filter((s) => s.actorId === actor.id && !s.ending).length;
    const perUser = config.IMPORTS_MAX_RUNNING_PER_USER;
    if (mine >= perUser) {
      throw new AppError(
        'too_many_imports',
        `You already have ${mine === 1 ? 'an import' : `${mine} imports`} running, the most one person may run at once. Start this one when ${mine === 1 ? 'it has' : 'one has'} finished (its list page shows the progress); try again in a minute.`,
        { headers: { 'retry-after': '60' } },
      );
    }
    if (slots.size >= config.IMPORTS_MAX_RUNNING) {
      throw new AppError(
        'too_many_imports',
        `${slots.size} imports are running on the server, the most it runs at once. Start this one when one of them has finished; try again in a minute.`,
        { headers: { 'retry-after': '60' } },
      );
    }
    const slot: ImportSlot = { actorId: actor.id, ending: false };
    slots.add(slot);
    return slot;
  }

  const expiryMs = config.IMPORT_UPLOAD_EXPIRY_HOURS * 3_600_000;
  const expiredMessage = () =>
    `This upload was not imported within ${config.IMPORT_UPLOAD_EXPIRY_HOURS} hours, so its file was deleted. Upload the file again to import it.`;

  /**
   * Deletes the files of uploads not imported in time (never started, or failed) and marks their
   * imports expired; and files no import refers to any more (its list was deleted, or the upload
   * was cut short by a crash) once they are as old. Runs at start-up and every few minutes.
   */
  async function expireUploads(): Promise<{ expired: number; orphans: number }> {
    const t = now();
    const before = new Date(t.getTime() - expiryMs);
    const files = await repo.expireUploads(db, { uploadedBefore: before, message: expiredMessage(), at: t });
    for (const f of files) await fs.promises.rm(f, { force: true });

    let orphans = 0;
    const names = await fs.promises.readdir(uploadDir).catch(() => [] as string[]);
    const candidates = names.filter((n) => /^import-[0-9a-f-]{36}\.csv$/.test(n)).map((n) => path.join(uploadDir, n));
    if (candidates.length > 0) {
      const known = await repo.uploadPaths(db);
      for (const f of candidates) {
        if (known.has(f)) continue;
        const stat = await fs.promises.stat(f).catch(() => null);
        if (!stat || stat.mtime >= before) continue;
        await fs.promises.rm(f, { force: true });
        orphans++;
      }
    }
    if (files.length + orphans > 0)
      log.info({ expired: files.length, orphans }, 'deleted uploads not imported in time');
    return { expired: files.length, orphans };
  }

  // ------------------------------------------------------------------ start

  function checkMapping(mapping: ImportMapping, headers: readonly string[]): ErrorIssue[] {
    const issues: ErrorIssue[] = [];
    const noMatch = importMappingMatchIssue(mapping);
    if (noMatch) issues.push({ path: 'body.mapping.reference', message: noMatch });
    for (const [field, header] of Object.entries(mapping) as [ImportField, string | undefined][]) {
      if (header !== undefined && !headers.includes(header)) {
        issues.push({ path: `body.mapping.${field}`, message: `The file has no column "${header}"` });
      }
    }
    return issues;
  }

  /**
   * Starts an uploaded (or failed) import with its column mapping and default country, in the
   * background of this process; answers at once with the import running. The run holds an
   * advisory lock on its own connection, so another instance can tell a live run from a dead one.
   */
  async function start(actor: ImportActor, importId: number, body: StartImportBody): Promise<Import> {
    const imp = await requireImport(importId);
    requireOwner(actor, imp);
    switch (imp.status) {
      case 'running':
        throw new AppError('conflict', 'This import is already running. Follow its progress on the list page.');
      case 'done':
        throw new AppError(
          'conflict',
          'This import has already run. To import the file again, upload it again: donors already there are updated, not duplicated.',
        );
      case 'expired':
        throw new AppError('conflict', expiredMessage());
      case 'uploaded':
      case 'failed':
        break;
    }
    if (!imp.storagePath || !fs.existsSync(imp.storagePath)) {
      throw new AppError('conflict', 'The uploaded file is no longer on the server. Upload it again.');
    }
    const defaultCountry = body.defaultCountry.trim().toUpperCase();
    const issues: ErrorIssue[] = [];
    if (!isPhoneCountry(defaultCountry)) {
      issues.push({
        path: 'body.defaultCountry',
        message: `"${body.defaultCountry}" is not a country code we know, e.g. GB`,
      });
    }
    const { headers } = await readPreview(imp.storagePath, 1);
    issues.push(...checkMapping(body.mapping, headers));
    if (issues.length > 0) {
      throw new AppError('validation_failed', 'The column mapping is not complete. Correct it and start again.', {
        issues,
      });
    }

    const slot = takeSlot(actor);
    const abort = new AbortController();
    // Answers once the import is marked running; the run goes on on the same held connection,
    // which withConnection releases when the run ends.
    return new Promise<Import>((resolve, reject) => {
      let launched = false;
      const done: Promise<void> = withConnection(db, async (conn) => {
        if (!(await repo.tryLockImport(conn, importId)))
          throw new AppError('conflict', 'This import is already running. Follow its progress on the list page.');
        try {
          const marked = await inTransaction(conn, async () => {
            const at = now();
            const m = await repo.markRunning(conn, importId, { mapping: body.mapping, defaultCountry, at });
            if (!m)
              throw new AppError('conflict', 'This import has already started. Reload the page to see its progress.');
            await audit(conn, {
              actorId: actor.id,
              entityType: 'list',
              entityId: imp.listId,
              action: 'import_started',
              after: { importId, fileName: imp.fileName, mapping: body.mapping, defaultCountry },
              at,
            });
            return m;
          });
          running.set(importId, { abort, done });
          launched = true;
          resolve(toImport(marked.row, now()));
          await run(conn, marked.row, marked.marker, actor, abort.signal, () => (slot.ending = true));
        } finally {
          if (launched) running.delete(importId);
          slots.delete(slot);
          await repo.unlockImport(conn, importId).catch(() => {});
        }
      }).catch((err: unknown) => {
        slots.delete(slot);
        if (launched) log.error({ err, importId }, 'import run failed');
        else reject(err instanceof Error ? err : new Error(String(err)));
      });
    });
  }

  // ------------------------------------------------------------------ the run

  /** A batch after the rules ran: what to write, and what to report. */
  interface CheckedBatch {
    rows: number;
    valid: DonorInput[];
    errors: RowError[];
    rejected: number;
    duplicates: number;
  }

  async function run(
    conn: Tx,
    imp: repo.ImportRow,
    marker: string,
    actor: ImportActor,
    signal: AbortSignal,
    /** Called just before the outcome (done or failed) is written. */
    ending: () => void,
  ) {
    const storagePath = imp.storagePath!;
    const mapping = imp.mapping ?? {};
    const defaultCountry = imp.defaultCountry ?? 'GB';
    /** No reference column: donors are matched by phone, then email (identify). */
    const byContact = !mapping.reference;
    /** Phone → the first valid row that had it: later rows with it are duplicates. */
    const phones = new PhoneIndex();
    let lastRow = 1;
    /** Rows whose donor the importer may not change (donor-reach.ts): reported, and in the audit record. */
    let outOfReach = 0;

    /** The rules for a batch, in memory only: validation, then duplicates by phone and reference. */
    function check(batch: { row: number; cells: string[] }[], plan: ColumnPlan): CheckedBatch {
      const out: CheckedBatch = { rows: batch.length, valid: [], errors: [], rejected: 0, duplicates: 0 };
      const batchRefs = new Map<string, number>();
      for (const { row, cells } of batch) {
        const result = validateRow(cells, row, plan, defaultCountry);
        if (!result.ok) {
          out.rejected++;
          out.errors.push(...result.errors);
          continue;
        }
        const d = result.donor;
        if (d.phone !== null) {
          const samePhone = phones.get(d.phone);
          if (samePhone !== undefined) {
            out.duplicates++;
            out.errors.push({
              row,
              reference: d.reference,
              field: 'phone',
              message: `Same phone number as row ${samePhone}: skipped as a duplicate.`,
            });
            continue;
          }
          phones.set(d.phone, row);
        }
        if (d.reference !== null) {
          const sameRef = batchRefs.get(d.reference);
          if (sameRef !== undefined) {
            out.duplicates++;
            out.errors.push({
              row,
              reference: d.reference,
              field: 'reference',
              message: `Same reference as row ${sameRef}: skipped as a duplicate.`,
            });
            continue;
          }
          batchRefs.set(d.reference, row);
        }
        out.valid.push(d);
        if (result.warnings) out.errors.push(...result.warnings);
      }
      return out;
    }

    /**
     * Each valid row's reference, inside the batch's transaction: the file's own, or, in a file
     * without a reference column, the matched donor's (by phone, then email) or a generated one
     * for a new donor (repo.matchDonors). Two rows of a batch that match the same donor: the
     * first is written, the second reported as a duplicate.
     */
    async function identify(valid: DonorInput[]): Promise<{
      donors: (DonorInput & { reference: string })[];
      duplicates: number;
      duplicateLines: RowError[];
    }> {
      if (!byContact) {
        const donors = valid.filter((d): d is DonorInput & { reference: string } => d.reference !== null);
        return { donors, duplicates: 0, duplicateLines: [] };
      }
      const matches = new Map((await repo.matchDonors(conn, imp.id, valid)).map((m) => [m.row, m]));
      const firstRowOf = new Map<string, number>();
      const out = {
        donors: [] as (DonorInput & { reference: string })[],
        duplicates: 0,
        duplicateLines: [] as RowError[],
      };
      for (const d of valid) {
        const m = matches.get(d.row)!;
        const reference = m.matched ?? m.generated;
        const first = firstRowOf.get(reference);
        if (first !== undefined) {
          out.duplicates++;
          out.duplicateLines.push({
            row: d.row,
            reference,
            field: d.email !== null && d.phone === null ? 'email' : 'phone',
            message: `Same donor (by phone or email) as row ${first}: skipped as a duplicate.`,
          });
          continue;
        }
        firstRowOf.set(reference, d.row);
        out.donors.push({ ...d, reference });
      }
      return out;
    }

    /**
     * Writes a checked batch in one transaction: donors (only those the importer may change are
     * updated, each change audited), list members, error lines, counters.
     */
    async function write(b: CheckedBatch): Promise<void> {
      const t = now();
      const { changedIds, notReached } = await inTransaction(conn, async () => {
        await allowLongStatements(conn);
        const { donors, duplicates, duplicateLines } = await identify(b.valid);
        const written = await repo.writeDonors(conn, {
          donors,
          actor,
          listId: imp.listId,
          marker,
          now: t,
        });
        const rowOf = new Map(donors.map((d) => [d.reference, d.row]));
        const count = { created: 0, updated: 0, outOfReach: 0, earlier: 0, concurrent: 0 };
        const errors: RowError[] = [];
        for (const w of written) {
          const line = { row: rowOf.get(w.reference)!, reference: w.reference, field: 'reference' };
          switch (w.outcome) {
            case 'created':
              count.created++;
              break;
            case 'updated':
              count.updated++;
              break;
            case 'out_of_reach':
              count.outOfReach++;
              errors.push({ ...line, message: IMPORT_OUT_OF_REACH_MESSAGE });
              break;
            case 'earlier_row':
              // Not written: an earlier batch of this file already had the reference.
              count.earlier++;
              errors.push({
                ...line,
                message: byContact
                  ? 'Same donor (by phone or email) as an earlier row of this file: skipped as a duplicate.'
                  : 'Same reference as an earlier row of this file: skipped as a duplicate.',
              });
              break;
            case 'concurrent':
              count.concurrent++;
              errors.push({
                ...line,
                message:
                  'Another import wrote this donor at the same moment, so this row was skipped. Import the file again to update the donor.',
              });
              break;
          }
        }
        // Imported, but with no number to call: said in the summary and listed in the report.
        for (const w of written) {
          if (w.uncallable) {
            errors.push({
              row: rowOf.get(w.reference)!,
              reference: w.reference,
              field: 'phone',
              message: NO_CALLABLE_PHONE,
              severity: 'warning',
            });
          }
        }
        const lines = [...b.errors, ...duplicateLines, ...errors];
        await repo.insertErrors(conn, imp.id, lines);
        await repo.addCounts(conn, imp.id, {
          processed: b.rows,
          created: count.created,
          updated: count.updated,
          rejected: b.rejected + count.outOfReach + count.concurrent,
          duplicates: b.duplicates + duplicates + count.earlier,
          uncallable: written.filter((w) => w.uncallable).length,
          warnings: lines.filter((e) => e.severity === 'warning').length,
        });
        return { changedIds: written.filter((w) => w.changed).map((w) => w.id!), notReached: count.outOfReach };
      });
      outOfReach += notReached; // after the commit: a retried transaction counts once
      // Changed donors may have new phones or time zones: the queues of every campaign follow.
      await deps.dialer.donorsChanged(changedIds);
    }

    const input = fs.createReadStream(storagePath);
    const parser = input.pipe(parse(csvOptions(await detectDelimiter(storagePath))));
    /**
     * The write of the previous batch, still running while the next is read and checked: the
     * database and the rules work side by side. One batch in flight at most, so memory is flat.
     */
    const inFlight: { write: Promise<void> | null } = { write: null };
    const flush = async (batch: { row: number; cells: string[] }[], plan: ColumnPlan) => {
      const checked = check(batch, plan);
      if (inFlight.write) await inFlight.write;
      inFlight.write = write(checked);
      inFlight.write.catch(() => {}); // awaited at the next flush or at the end
    };
    try {
      let plan: ColumnPlan | null = null;
      let recordNo = 0;
      let batch: { row: number; cells: string[] }[] = [];
      for await (const record of parser as AsyncIterable<string[]>) {
        recordNo++;
        if (isBlankRecord(record)) continue;
        if (plan === null) {
          plan = columnPlan(mapping, uniqueHeaders(record));
          continue;
        }
        batch.push({ row: recordNo, cells: record });
        lastRow = recordNo;
        if (batch.length >= BATCH_SIZE) {
          await flush(batch, plan);
          batch = [];
          if (signal.aborted) throw new Error('aborted');
        }
      }
      if (plan !== null && batch.length > 0) await flush(batch, plan);
      if (inFlight.write) await inFlight.write;
    } catch (err) {
      if (inFlight.write) await inFlight.write.catch(() => {});
      const isCsv =
        typeof (err as { code?: unknown }).code === 'string' && (err as { code: string }).code.startsWith('CSV_');
      const message = signal.aborted
        ? STOPPED
        : isCsv
          ? `The file could not be read after row ${lastRow}: ${(err as Error).message}. Rows before it were imported; correct the file, upload it again and import it.`
          : 'The import stopped because of an error on our side. Start it again: rows already imported are updated, not duplicated.';
      if (!signal.aborted && !isCsv) log.error({ err, importId: imp.id }, 'import batch failed');
      ending();
      await repo.markFailed(conn, imp.id, message, now());
      return;
    } finally {
      parser.destroy();
      input.destroy();
    }

    ending();
    const finished = await inTransaction(conn, async () => {
      const row = await repo.markDone(conn, imp.id, now());
      await audit(conn, {
        actorId: actor.id,
        entityType: 'list',
        entityId: imp.listId,
        action: 'import',
        after: {
          importId: imp.id,
          fileName: imp.fileName,
          rows: row.processedRows,
          created: row.created,
          updated: row.updated,
          rejected: row.rejected,
          duplicates: row.duplicates,
          outOfReach,
          uncallable: row.uncallable,
        },
        at: now(),
      });
      return row;
    });
    await fs.promises.rm(storagePath, { force: true });
    // Campaigns connected to the list get the new donors (and the updated ones' flags and zones).
    await deps.dialer.syncListQueues(finished.listId);
  }

  /** Stops the runs of this process (at shutdown): each is marked failed and can be started again. */
  async function close(): Promise<void> {
    for (const r of running.values()) r.abort.abort();
    await Promise.all([...running.values()].map((r) => r.done));
  }

  return { upload, start, preview, remove, get, listOfList, errorsCsv, reapOrphans, expireUploads, close };
}
