import { bigint, index, integer, jsonb, pgEnum, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { ImportEncoding, ImportMapping } from '@engage/contracts';
import { lists } from './campaigns';
import { users } from './users';

/** Who changed what, when, from what to what. Written in the same transaction as the change. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    actorId: integer().references(() => users.id),
    /** e.g. 'call', 'appointment', 'campaign', 'user', 'donor', 'team', 'end_reason' */
    entityType: text().notNull(),
    entityId: integer().notNull(),
    /** e.g. 'update', 'create', 'disable', 'retire', 'reassign', 'reschedule', 'cancel' */
    action: text().notNull(),
    before: jsonb(),
    after: jsonb(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('audit_log_entity_idx').on(t.entityType, t.entityId, t.at),
    index('audit_log_actor_idx').on(t.actorId, t.at),
  ],
);

/** expired: not imported within IMPORT_UPLOAD_EXPIRY_HOURS; its file was deleted. */
export const importStatusEnum = pgEnum('import_status', ['uploaded', 'running', 'done', 'failed', 'expired']);

/** A CSV file uploaded into a list: its column mapping, progress and counts. */
export const imports = pgTable(
  'imports',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    listId: integer()
      .notNull()
      .references(() => lists.id, { onDelete: 'cascade' }),
    createdBy: integer().references(() => users.id),
    fileName: text().notNull(),
    /** Where the uploaded file is kept until the import has run. */
    storagePath: text(),
    sizeBytes: bigint({ mode: 'number' }).notNull(),
    /** The encoding the upload was read in ('utf-8' or 'windows-1252'); the stored file is UTF-8. */
    encoding: text().$type<ImportEncoding>().notNull().default('utf-8'),
    status: importStatusEnum().notNull().default('uploaded'),
    /** CSV column name for each donor field, chosen from the preview. */
    mapping: jsonb().$type<ImportMapping>(),
    /** ISO country for phone numbers written without +country code. */
    defaultCountry: text(),
    totalRows: integer(),
    processedRows: integer().notNull().default(0),
    /** New donors created. */
    created: integer().notNull().default(0),
    /** Existing donors (same reference) updated. */
    updated: integer().notNull().default(0),
    /** Rows refused, each with a reason in import_errors. */
    rejected: integer().notNull().default(0),
    /** Rows skipped as duplicates of an earlier row in the same file. */
    duplicates: integer().notNull().default(0),
    /** Donors of this import with no callable phone number: the dialer will not call them. */
    uncallable: integer().notNull().default(0),
    /** Lines of the error report that are warnings: rows imported with something left out. */
    warnings: integer().notNull().default(0),
    error: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('imports_list_idx').on(t.listId)],
);

export const importErrorSeverityEnum = pgEnum('import_error_severity', ['error', 'warning']);

export const importErrors = pgTable(
  'import_errors',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    importId: integer()
      .notNull()
      .references(() => imports.id, { onDelete: 'cascade' }),
    /** 1-based line of the data row in the file (the header is line 1). */
    rowNumber: integer().notNull(),
    reference: text(),
    field: text(),
    message: text().notNull(),
    /** 'error': the row was not imported; 'warning': it was, with what the message says. */
    severity: importErrorSeverityEnum().notNull().default('error'),
  },
  (t) => [index('import_errors_import_idx').on(t.importId, t.rowNumber)],
);
