import { sql } from 'drizzle-orm';
import { check, integer, jsonb, pgTable, smallint, text, time, timestamp } from 'drizzle-orm/pg-core';
import type { CountryCallingWindow } from '@engage/contracts';

/**
 * The organisation's own settings: exactly one row (id 1, seeded by its migration), changed by
 * administrators and audited as entity "organisation_settings" 1. A later setting of the whole
 * organisation (its time zone) is one more column here.
 */
export const organisationSettings = pgTable(
  'organisation_settings',
  {
    id: smallint().primaryKey().default(1),
    /** ISO 4217 codes donations are taken in, in the order the donation form offers them. */
    currencies: text().array().notNull(),
    /** The currency the donation form starts with: one of `currencies`. */
    defaultCurrency: text().notNull(),
    /** How long after a call ends a donation may still be recorded on it (0: only while open). */
    donationGraceMinutes: integer().notNull().default(10),
    /**
     * The legal calling window, in the donor's local time, that no campaign exceeds (the dialer
     * intersects it with the campaign's hours: engage_calling_rules in dialer/sql/calling-window.sql).
     */
    legalHoursStart: time().notNull().default('08:00'),
    legalHoursEnd: time().notNull().default('21:00'),
    /** ISO weekdays (1 Monday .. 7 Sunday) on which nobody may be called. */
    legalClosedWeekdays: smallint()
      .array()
      .notNull()
      .default(sql`'{}'`),
    /** Countries whose own window replaces the default one: [{ country, start, end, closedWeekdays }]. */
    countryCallingWindows: jsonb()
      .$type<CountryCallingWindow[]>()
      .notNull()
      .default(sql`'[]'`),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('organisation_settings_one_row', sql`${t.id} = 1`),
    check('organisation_settings_currencies', sql`cardinality(${t.currencies}) between 1 and 50`),
    check('organisation_settings_default_currency', sql`${t.defaultCurrency} = any(${t.currencies})`),
    check('organisation_settings_donation_grace', sql`${t.donationGraceMinutes} between 0 and 1440`),
    check('organisation_settings_legal_hours', sql`${t.legalHoursStart} < ${t.legalHoursEnd}`),
  ],
);
