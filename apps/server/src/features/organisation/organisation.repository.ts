import type pg from 'pg';
import type { PgClient } from '../../lib/tx';

export interface OrganisationSettingsRow {
  currencies: string[];
  default_currency: string;
  donation_grace_minutes: number;
  updated_at: Date;
}

const COLUMNS = 'currencies, default_currency, donation_grace_minutes, updated_at';

/** The one row (seeded by migration 0010); `forUpdate` locks it for a change. */
export async function readSettings(
  c: PgClient | pg.Pool,
  opts: { forUpdate?: boolean } = {},
): Promise<OrganisationSettingsRow> {
  const r = await c.query<OrganisationSettingsRow>(
    `SELECT ${COLUMNS} FROM organisation_settings WHERE id = 1${opts.forUpdate ? ' FOR UPDATE' : ''}`,
  );
  const row = r.rows[0];
  if (!row) throw new Error('organisation_settings has no row: the migrations did not run');
  return row;
}

export type OrganisationSettingsChanges = Partial<Omit<OrganisationSettingsRow, 'updated_at'>>;

export async function updateSettings(
  c: PgClient,
  changes: OrganisationSettingsChanges,
  now: Date,
): Promise<OrganisationSettingsRow> {
  const r = await c.query<OrganisationSettingsRow>(
    `UPDATE organisation_settings
        SET currencies = coalesce($1::text[], currencies),
            default_currency = coalesce($2::text, default_currency),
            donation_grace_minutes = coalesce($3::int, donation_grace_minutes),
            updated_at = $4
      WHERE id = 1
      RETURNING ${COLUMNS}`,
    [changes.currencies ?? null, changes.default_currency ?? null, changes.donation_grace_minutes ?? null, now],
  );
  return r.rows[0]!;
}
