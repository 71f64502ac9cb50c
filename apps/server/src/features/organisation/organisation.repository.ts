import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { organisationSettings as s } from '../../db/schema';
import { timeOfDay } from '../../db/time-of-day';

/** Times as the API shows them ('HH:MM'); the end of a whole day is '24:00', not to_char's '00:00'. */
const COLUMNS = {
  currencies: s.currencies,
  defaultCurrency: s.defaultCurrency,
  donationGraceMinutes: s.donationGraceMinutes,
  legalHoursStart: timeOfDay(s.legalHoursStart),
  legalHoursEnd: timeOfDay(s.legalHoursEnd),
  legalClosedWeekdays: sql<number[]>`${s.legalClosedWeekdays}::int[]`,
  countryCallingWindows: s.countryCallingWindows,
  updatedAt: s.updatedAt,
};

/** The one row (seeded by migration 0010); `forUpdate` locks it for a change. */
export async function readSettings(db: DbOrTx, opts: { forUpdate?: boolean } = {}) {
  const q = db.select(COLUMNS).from(s).where(eq(s.id, 1));
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  if (!row) throw new Error('organisation_settings has no row: the migrations did not run');
  return row;
}

export type OrganisationSettingsRow = Awaited<ReturnType<typeof readSettings>>;

export type OrganisationSettingsChanges = Partial<Omit<OrganisationSettingsRow, 'updatedAt'>>;

export async function updateSettings(
  db: DbOrTx,
  changes: OrganisationSettingsChanges,
  now: Date,
): Promise<OrganisationSettingsRow> {
  const [row] = await db
    .update(s)
    .set({ ...changes, updatedAt: now })
    .where(eq(s.id, 1))
    .returning(COLUMNS);
  return row!;
}
