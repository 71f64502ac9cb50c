import { sql } from 'drizzle-orm';
import { check, integer, pgTable, smallint, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The organisation's own settings: exactly one row (id 1, seeded by its migration), changed by
 * administrators and audited as entity "organisation_settings" 1. A later setting of the whole
 * organisation (its time zone, a legal calling window) is one more column here.
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
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('organisation_settings_one_row', sql`${t.id} = 1`),
    check('organisation_settings_currencies', sql`cardinality(${t.currencies}) between 1 and 50`),
    check('organisation_settings_default_currency', sql`${t.defaultCurrency} = any(${t.currencies})`),
    check('organisation_settings_donation_grace', sql`${t.donationGraceMinutes} between 0 and 1440`),
  ],
);
