import { sql } from 'drizzle-orm';
import {
  check,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  time,
  timestamp,
} from 'drizzle-orm/pg-core';
import type { WeekdayHours } from '@engage/contracts';
import { teams } from './teams';
import { donors } from './donors';
import { users } from './users';

export const campaignPurposeEnum = pgEnum('campaign_purpose', [
  'sponsorship_follow_up',
  'failed_payments',
  'new_donors',
  'reactivation',
  'thank_you',
  'inbound_line',
]);
export const campaignStatusEnum = pgEnum('campaign_status', ['draft', 'active', 'paused', 'finished']);

export const campaigns = pgTable(
  'campaigns',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    name: text().notNull().unique(),
    purpose: campaignPurposeEnum().notNull(),
    status: campaignStatusEnum().notNull().default('draft'),
    /** Inclusive calendar dates; null means open-ended. */
    startsOn: date(),
    endsOn: date(),
    /**
     * The span of the campaign's calling hours (earliest start, latest end over its weekdays), in
     * the donor's local time; end '24:00' means until midnight. A summary for display: the dialer
     * reads `weekdayHours`.
     */
    callingHoursStart: time().notNull().default('09:00'),
    callingHoursEnd: time().notNull().default('21:00'),
    /** Hours per ISO weekday, Monday first: seven entries, null for a day without calls. */
    weekdayHours: jsonb()
      .$type<WeekdayHours>()
      .notNull()
      .default(
        sql`'[{"start":"09:00","end":"21:00"},{"start":"09:00","end":"21:00"},{"start":"09:00","end":"21:00"},{"start":"09:00","end":"21:00"},{"start":"09:00","end":"21:00"},{"start":"09:00","end":"21:00"},{"start":"09:00","end":"21:00"}]'`,
      ),
    /** Dates (public holidays) on which the campaign calls nobody, in the donor's local calendar. */
    closedDates: date()
      .array()
      .notNull()
      .default(sql`'{}'`),
    maxAttempts: integer().notNull().default(5),
    holdSeconds: integer().notNull().default(300),
    appointmentGraceMinutes: integer().notNull().default(30),
    script: text().notNull().default(''),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('campaigns_dates', sql`${t.startsOn} is null or ${t.endsOn} is null or ${t.startsOn} <= ${t.endsOn}`),
    check('campaigns_max_attempts', sql`${t.maxAttempts} between 1 and 100`),
    check('campaigns_hold_seconds', sql`${t.holdSeconds} between 30 and 3600`),
  ],
);

export const campaignTeams = pgTable(
  'campaign_teams',
  {
    campaignId: integer()
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    teamId: integer()
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.teamId] }), index('campaign_teams_team_id_idx').on(t.teamId)],
);

export const lists = pgTable('lists', {
  id: integer().primaryKey().generatedAlwaysAsIdentity(),
  name: text().notNull().unique(),
  description: text().notNull().default(''),
  createdBy: integer().references(() => users.id),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const listMembers = pgTable(
  'list_members',
  {
    listId: integer()
      .notNull()
      .references(() => lists.id, { onDelete: 'cascade' }),
    donorId: integer()
      .notNull()
      .references(() => donors.id, { onDelete: 'cascade' }),
    addedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.listId, t.donorId] }), index('list_members_donor_id_idx').on(t.donorId)],
);

export const campaignLists = pgTable(
  'campaign_lists',
  {
    campaignId: integer()
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    listId: integer()
      .notNull()
      .references(() => lists.id, { onDelete: 'cascade' }),
    /** Lower is called first. */
    priority: integer().notNull().default(100),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.listId] }), index('campaign_lists_list_id_idx').on(t.listId)],
);
