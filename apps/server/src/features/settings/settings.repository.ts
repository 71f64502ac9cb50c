import { and, asc, count, eq, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { breakReasons, endReasons, jobRoles, skipReasons } from '../../db/schema';

/** The reasons and job roles still offered (retired ones stay on old records only). */
export function activeJobRoles(db: DbOrTx) {
  return db
    .select({ id: jobRoles.id, name: jobRoles.name, outbound: jobRoles.outbound, inbound: jobRoles.inbound })
    .from(jobRoles)
    .where(isNull(jobRoles.retiredAt))
    .orderBy(asc(jobRoles.position), asc(jobRoles.id));
}

export function activeSkipReasons(db: DbOrTx) {
  return db
    .select({ id: skipReasons.id, name: skipReasons.name, outcome: skipReasons.outcome })
    .from(skipReasons)
    .where(isNull(skipReasons.retiredAt))
    .orderBy(asc(skipReasons.position), asc(skipReasons.id));
}

export function activeEndReasons(db: DbOrTx) {
  return db
    .select({
      id: endReasons.id,
      name: endReasons.name,
      outcome: endReasons.outcome,
      retryMinutes: endReasons.retryMinutes,
      countsAsContact: endReasons.countsAsContact,
      countsAsSuccess: endReasons.countsAsSuccess,
      direction: endReasons.direction,
    })
    .from(endReasons)
    .where(and(isNull(endReasons.retiredAt), isNull(endReasons.systemKey)))
    .orderBy(asc(endReasons.position), asc(endReasons.id));
}

export function activeBreakReasons(db: DbOrTx) {
  return db
    .select({ id: breakReasons.id, name: breakReasons.name })
    .from(breakReasons)
    .where(isNull(breakReasons.retiredAt))
    .orderBy(asc(breakReasons.position), asc(breakReasons.id));
}

// ---------------------------------------------------------------------------------------------
// Administration: every job role and reason, retired ones too.
// ---------------------------------------------------------------------------------------------

export type SettingsKind = 'job_role' | 'skip_reason' | 'end_reason' | 'break_reason';

/**
 * The columns every settings table shares (id, name, position, retired_at). The four tables are
 * alike in these, so ordering, retiring and renaming are written once against this shape.
 */
type Orderable = typeof breakReasons;

function orderable(kind: SettingsKind): Orderable {
  switch (kind) {
    case 'job_role':
      return jobRoles as unknown as Orderable;
    case 'skip_reason':
      return skipReasons as unknown as Orderable;
    case 'end_reason':
      return endReasons as unknown as Orderable;
    case 'break_reason':
      return breakReasons;
  }
}

/** The system's own end reasons (end_reasons.system_key) are no settings: never listed, edited or counted. */
function settingsOnly(kind: SettingsKind) {
  return kind === 'end_reason' ? isNull(endReasons.systemKey) : undefined;
}

export function allJobRoles(db: DbOrTx, id?: number) {
  return db
    .select()
    .from(jobRoles)
    .where(id === undefined ? undefined : eq(jobRoles.id, id))
    .orderBy(asc(jobRoles.position), asc(jobRoles.id));
}

export function allSkipReasons(db: DbOrTx, id?: number) {
  return db
    .select()
    .from(skipReasons)
    .where(id === undefined ? undefined : eq(skipReasons.id, id))
    .orderBy(asc(skipReasons.position), asc(skipReasons.id));
}

export function allEndReasons(db: DbOrTx, id?: number) {
  return (
    db
      .select()
      .from(endReasons)
      // The system's own reasons (ended by the system or a manager) are not settings to edit.
      .where(and(isNull(endReasons.systemKey), id === undefined ? undefined : eq(endReasons.id, id)))
      .orderBy(asc(endReasons.position), asc(endReasons.id))
  );
}

export function allBreakReasons(db: DbOrTx, id?: number) {
  return db
    .select()
    .from(breakReasons)
    .where(id === undefined ? undefined : eq(breakReasons.id, id))
    .orderBy(asc(breakReasons.position), asc(breakReasons.id));
}

export type JobRoleRow = typeof jobRoles.$inferSelect;
export type SkipReasonRow = typeof skipReasons.$inferSelect;
export type EndReasonRow = typeof endReasons.$inferSelect;
export type BreakReasonRow = typeof breakReasons.$inferSelect;

/** The item's row locked until the transaction ends, or undefined. */
export function lockItem(db: DbOrTx, kind: SettingsKind, id: number) {
  const t = orderable(kind);
  return db
    .select({ id: t.id, name: t.name, position: t.position, retiredAt: t.retiredAt })
    .from(t)
    .where(and(eq(t.id, id), settingsOnly(kind)))
    .for('update')
    .then((r) => r[0]);
}

/** Every item of a kind, in order, locked (a reorder sees and writes one consistent list). */
export function lockAll(db: DbOrTx, kind: SettingsKind) {
  const t = orderable(kind);
  return db
    .select({ id: t.id, name: t.name, position: t.position, retiredAt: t.retiredAt })
    .from(t)
    .where(settingsOnly(kind))
    .orderBy(asc(t.position), asc(t.id))
    .for('update');
}

export function findIdByName(db: DbOrTx, kind: SettingsKind, name: string, exceptId?: number) {
  const t = orderable(kind);
  return db
    .select({ id: t.id })
    .from(t)
    .where(
      exceptId === undefined
        ? sql`lower(${t.name}) = lower(${name})`
        : sql`lower(${t.name}) = lower(${name}) and ${t.id} <> ${exceptId}`,
    )
    .then((r) => r[0]?.id);
}

export function countActive(db: DbOrTx, kind: SettingsKind): Promise<number> {
  const t = orderable(kind);
  return db
    .select({ n: count() })
    .from(t)
    .where(and(isNull(t.retiredAt), settingsOnly(kind)))
    .then((r) => r[0]?.n ?? 0);
}

export function nextPosition(db: DbOrTx, kind: SettingsKind): Promise<number> {
  const t = orderable(kind);
  return db
    .select({ p: sql<number>`coalesce(max(${t.position}), 0) + 1`.mapWith(Number) })
    .from(t)
    .then((r) => r[0]?.p ?? 1);
}

export async function setPosition(db: DbOrTx, kind: SettingsKind, id: number, position: number): Promise<void> {
  const t = orderable(kind);
  await db.update(t).set({ position }).where(eq(t.id, id));
}

export async function setRetiredAt(db: DbOrTx, kind: SettingsKind, id: number, at: Date | null): Promise<void> {
  const t = orderable(kind);
  await db.update(t).set({ retiredAt: at }).where(eq(t.id, id));
}

export function insertJobRole(
  db: DbOrTx,
  row: { name: string; outbound: boolean; inbound: boolean; position: number },
) {
  return db
    .insert(jobRoles)
    .values(row)
    .returning({ id: jobRoles.id })
    .then((r) => r[0]!.id);
}

export async function updateJobRole(
  db: DbOrTx,
  id: number,
  patch: { name: string; outbound: boolean; inbound: boolean },
): Promise<void> {
  await db.update(jobRoles).set(patch).where(eq(jobRoles.id, id));
}

export function insertSkipReason(db: DbOrTx, row: { name: string; outcome: 'requeue' | 'remove'; position: number }) {
  return db
    .insert(skipReasons)
    .values(row)
    .returning({ id: skipReasons.id })
    .then((r) => r[0]!.id);
}

export async function updateSkipReason(
  db: DbOrTx,
  id: number,
  patch: { name: string; outcome: 'requeue' | 'remove' },
): Promise<void> {
  await db.update(skipReasons).set(patch).where(eq(skipReasons.id, id));
}

export interface EndReasonValues {
  name: string;
  outcome: 'final' | 'retry' | 'appointment' | 'do_not_call';
  retryMinutes: number | null;
  countsAsContact: boolean;
  countsAsSuccess: boolean;
  direction: 'both' | 'outbound' | 'inbound';
}

export function insertEndReason(db: DbOrTx, row: EndReasonValues & { position: number }) {
  return db
    .insert(endReasons)
    .values(row)
    .returning({ id: endReasons.id })
    .then((r) => r[0]!.id);
}

export async function updateEndReason(db: DbOrTx, id: number, patch: EndReasonValues): Promise<void> {
  await db.update(endReasons).set(patch).where(eq(endReasons.id, id));
}

export function insertBreakReason(db: DbOrTx, row: { name: string; position: number }) {
  return db
    .insert(breakReasons)
    .values(row)
    .returning({ id: breakReasons.id })
    .then((r) => r[0]!.id);
}

export async function renameItem(db: DbOrTx, kind: SettingsKind, id: number, name: string): Promise<void> {
  const t = orderable(kind);
  await db.update(t).set({ name }).where(eq(t.id, id));
}
