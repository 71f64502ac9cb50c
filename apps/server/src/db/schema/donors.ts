import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, pgEnum, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from './users';

export const donors = pgTable(
  'donors',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    reference: text().notNull().unique(),
    firstName: text().notNull().default(''),
    lastName: text().notNull().default(''),
    /** E.164, validated with libphonenumber-js before it is stored. */
    phone: text(),
    altPhone: text(),
    /**
     * The number to call: the main phone, else the other one. The one home of that rule: the
     * dialer's queue (blocked when null), its offer and Start Call read it.
     */
    callablePhone: text().generatedAlwaysAs(sql`coalesce(phone, alt_phone)`),
    email: text(),
    addressLine1: text(),
    addressLine2: text(),
    city: text(),
    postcode: text(),
    /** ISO 3166-1 alpha-2. */
    country: text(),
    /** IANA time zone name, e.g. "Europe/London". */
    timeZone: text().notNull().default('UTC'),
    /** BCP 47 language tag. */
    language: text(),
    doNotCall: boolean().notNull().default(false),
    deceased: boolean().notNull().default(false),
    suppressed: boolean().notNull().default(false),
    notes: text().notNull().default(''),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('donors_phone_idx').on(t.phone),
    index('donors_alt_phone_idx').on(t.altPhone),
    /** The few donors with no number to call, for a list's count of them (lists.repository.ts). */
    index('donors_uncallable_idx')
      .on(t.id)
      .where(sql`callable_phone IS NULL`),
    index('donors_email_lower_idx').on(sql`lower(${t.email})`),
    check('donors_phone_e164', sql`${t.phone} is null or ${t.phone} ~ '^\\+[1-9][0-9]{6,14}$'`),
  ],
);

export const donationMethodEnum = pgEnum('donation_method', [
  'card',
  'direct_debit',
  'bank_transfer',
  'cash',
  'cheque',
  'other',
]);
export const donationFrequencyEnum = pgEnum('donation_frequency', ['one_off', 'monthly', 'quarterly', 'yearly']);

export const donations = pgTable(
  'donations',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    donorId: integer()
      .notNull()
      .references(() => donors.id),
    /** Integer minor units (pence, cents) of `currency`. */
    amountMinor: integer().notNull(),
    currency: text().notNull(),
    purpose: text().notNull().default('General fund'),
    method: donationMethodEnum().notNull(),
    frequency: donationFrequencyEnum().notNull().default('one_off'),
    /** A reference from the payment processor. Card numbers are never stored. */
    paymentReference: text(),
    callId: integer(),
    recordedBy: integer().references(() => users.id),
    donatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('donations_donor_id_idx').on(t.donorId, t.donatedAt),
    check('donations_amount_positive', sql`${t.amountMinor} > 0`),
    check('donations_currency', sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);

export const sponsorshipStatusEnum = pgEnum('sponsorship_status', ['active', 'paused', 'lapsed', 'cancelled']);

export const sponsorships = pgTable(
  'sponsorships',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    donorId: integer()
      .notNull()
      .references(() => donors.id),
    /** What is sponsored: a child, a project, an animal... */
    subject: text().notNull(),
    amountMinor: integer().notNull(),
    currency: text().notNull(),
    frequency: donationFrequencyEnum().notNull().default('monthly'),
    status: sponsorshipStatusEnum().notNull().default('active'),
    startedOn: date().notNull(),
  },
  (t) => [index('sponsorships_donor_id_idx').on(t.donorId)],
);

export const paymentStatusEnum = pgEnum('payment_status', ['succeeded', 'failed']);

export const payments = pgTable(
  'payments',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    donorId: integer()
      .notNull()
      .references(() => donors.id),
    sponsorshipId: integer().references(() => sponsorships.id),
    amountMinor: integer().notNull(),
    currency: text().notNull(),
    method: donationMethodEnum().notNull(),
    status: paymentStatusEnum().notNull(),
    failureReason: text(),
    dueOn: date().notNull(),
    /** What was done about a failed payment, written from a call. */
    resolution: text(),
    resolvedCallId: integer(),
    resolvedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('payments_donor_id_idx').on(t.donorId, t.dueOn),
    index('payments_unresolved_failed_idx')
      .on(t.donorId)
      .where(sql`${t.status} = 'failed' and ${t.resolvedAt} is null`),
  ],
);

export const donorNotes = pgTable(
  'donor_notes',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    donorId: integer()
      .notNull()
      .references(() => donors.id),
    authorId: integer().references(() => users.id),
    body: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('donor_notes_donor_id_idx').on(t.donorId, t.createdAt)],
);
