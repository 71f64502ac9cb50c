import type pg from 'pg';
import type { CountryCallingWindow } from '@engage/contracts';
import type { PgClient } from '../../lib/tx';

export interface OrganisationSettingsRow {
  currencies: string[];
  default_currency: string;
  donation_grace_minutes: number;
  legal_hours_start: string;
  legal_hours_end: string;
  legal_closed_weekdays: number[];
  country_calling_windows: CountryCallingWindow[];
  updated_at: Date;
}

const COLUMNS = `currencies, default_currency, donation_grace_minutes,
  to_char(legal_hours_start, 'HH24:MI') AS legal_hours_start,
  CASE WHEN legal_hours_end = '24:00' THEN '24:00' ELSE to_char(legal_hours_end, 'HH24:MI') END AS legal_hours_end,
  legal_closed_weekdays::int[] AS legal_closed_weekdays, country_calling_windows, updated_at`;

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
            legal_hours_start = coalesce($5::time, legal_hours_start),
            legal_hours_end = coalesce($6::time, legal_hours_end),
            legal_closed_weekdays = coalesce($7::smallint[], legal_closed_weekdays),
            country_calling_windows = coalesce($8::jsonb, country_calling_windows),
            updated_at = $4
      WHERE id = 1
      RETURNING ${COLUMNS}`,
    [
      changes.currencies ?? null,
      changes.default_currency ?? null,
      changes.donation_grace_minutes ?? null,
      now,
      changes.legal_hours_start ?? null,
      changes.legal_hours_end ?? null,
      changes.legal_closed_weekdays ?? null,
      changes.country_calling_windows ? JSON.stringify(changes.country_calling_windows) : null,
    ],
  );
  return r.rows[0]!;
}
