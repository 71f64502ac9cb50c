import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { campaigns } from './campaigns';
import { donors } from './donors';
import { breakReasons, endReasons, jobRoles, skipReasons } from './settings';
import { teams } from './teams';
import { users } from './users';

export const shiftStateEnum = pgEnum('shift_state', [
  'signed_in',
  'ready',
  'previewing',
  'on_call',
  'on_break',
  'out_of_data',
]);

/**
 * An agent's shift: the state machine of PRODUCT.md lives in these rows. They are written about
 * three times a call, so no index may cover a column those writes change (state, offer, call,
 * lease): with fill factor 50 (migration 0008) each write is a HOT update that touches no index.
 */
export const shifts = pgTable(
  'shifts',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    agentId: integer()
      .notNull()
      .references(() => users.id),
    jobRoleId: integer()
      .notNull()
      .references(() => jobRoles.id),
    state: shiftStateEnum().notNull().default('signed_in'),
    stateSince: timestamp({ withTimezone: true }).notNull(),
    teamId: integer().references(() => teams.id),
    campaignId: integer().references(() => campaigns.id),
    breakReasonId: integer().references(() => breakReasons.id),
    offerId: integer(),
    callId: integer(),
    /**
     * The inbound call ringing this agent now (inbound routing marks it in the statement that
     * chooses the agent: features/inbound/inbound-routing.sql.ts). No index: see above.
     */
    ringingInboundCallId: integer(),
    /** Inbound calls this agent let ring out or declined in a row (an answer resets it). */
    inboundMissesInRow: integer().notNull().default(0),
    openedAt: timestamp({ withTimezone: true }).notNull(),
    closedAt: timestamp({ withTimezone: true }),
    /** The browser's heartbeat keeps this in the future; when it lapses, held donors go back. */
    leaseExpiresAt: timestamp({ withTimezone: true }).notNull(),
    /**
     * Since when the agent has been free of calls: the sign-in, then the end of each call
     * (dialer_shift_to sets it when the shift leaves on_call). Inbound routing rings the agent
     * idle longest first (ringNextAgent) by it. Not indexed, like every column the dialer writes
     * (HOT updates): routing reads the open shifts of the line's team members by
     * shifts_one_open_per_agent and sorts those few.
     */
    idleSince: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('shifts_one_open_per_agent')
      .on(t.agentId)
      .where(sql`${t.closedAt} is null`),
    index('shifts_agent_opened_idx').on(t.agentId, t.openedAt),
  ],
);

export const campaignDonorStateEnum = pgEnum('campaign_donor_state', ['queued', 'finished']);

/**
 * The dialer's queue: one row per donor per campaign, made from the campaign's connected lists.
 * `next_attempt_at` is when the donor may next be offered: the time it was queued, a retry time,
 * a booked call-back, or the end of a hold (so held donors sit at the back of their group and
 * are never scanned by the claim). See features/dialer/dialer.sql.ts.
 */
export const campaignDonors = pgTable(
  'campaign_donors',
  {
    campaignId: integer()
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    donorId: integer()
      .notNull()
      .references(() => donors.id, { onDelete: 'cascade' }),
    /** The best (lowest) priority of the connected lists the donor is on. */
    priority: integer().notNull(),
    state: campaignDonorStateEnum().notNull().default('queued'),
    /** Why the donor is finished: final, removed, do_not_call. */
    finishReason: text(),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull(),
    lastAttemptAt: timestamp({ withTimezone: true }),
    /** Copy of the donor's time zone, for the calling-hours test without a join. */
    timeZone: text().notNull(),
    /** Copy of the donor's country (ISO 3166-1 alpha-2): its legal calling window applies. */
    country: text(),
    /** Do not call, deceased, suppressed or no callable phone (copied from the donor). */
    blocked: boolean().notNull().default(false),
    heldByShiftId: integer(),
    holdExpiresAt: timestamp({ withTimezone: true }),
    appointmentId: integer(),
    appointmentOwnerId: integer(),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.donorId] }),
    // The claim walks this index in dialer order and stops at the first callable row.
    index('campaign_donors_queue_idx')
      .on(t.campaignId, t.priority, t.attempts, t.nextAttemptAt, t.donorId)
      .where(sql`${t.state} = 'queued' and not ${t.blocked} and ${t.appointmentId} is null`),
    index('campaign_donors_appointments_idx')
      .on(t.campaignId, t.nextAttemptAt, t.donorId)
      .where(sql`${t.state} = 'queued' and not ${t.blocked} and ${t.appointmentId} is not null`),
    index('campaign_donors_donor_idx').on(t.donorId),
  ],
);

/** Donor-wide holds: a donor on several campaigns is still offered to one agent at a time. */
export const donorHolds = pgTable('donor_holds', {
  donorId: integer()
    .primaryKey()
    .references(() => donors.id, { onDelete: 'cascade' }),
  shiftId: integer().notNull(),
  campaignId: integer().notNull(),
  expiresAt: timestamp({ withTimezone: true }).notNull(),
});

export const offerStatusEnum = pgEnum('offer_status', ['open', 'started', 'skipped', 'expired', 'released']);

export const offers = pgTable(
  'offers',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    shiftId: integer()
      .notNull()
      .references(() => shifts.id),
    agentId: integer()
      .notNull()
      .references(() => users.id),
    campaignId: integer()
      .notNull()
      .references(() => campaigns.id),
    teamId: integer()
      .notNull()
      .references(() => teams.id),
    donorId: integer()
      .notNull()
      .references(() => donors.id),
    appointmentId: integer(),
    status: offerStatusEnum().notNull().default('open'),
    offeredAt: timestamp({ withTimezone: true }).notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    resolvedAt: timestamp({ withTimezone: true }),
    skipReasonId: integer().references(() => skipReasons.id),
    notes: text(),
  },
  (t) => [
    index('offers_shift_idx').on(t.shiftId),
    index('offers_open_expiry_idx')
      .on(t.expiresAt)
      .where(sql`${t.status} = 'open'`),
  ],
);

export const callDirectionEnum = pgEnum('call_direction', ['outbound', 'inbound']);

export const hangupSideEnum = pgEnum('hangup_side', ['agent', 'donor', 'system']);
export const hangupCauseEnum = pgEnum('hangup_cause', ['normal', 'busy', 'no_answer', 'failed']);

export const calls = pgTable(
  'calls',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    direction: callDirectionEnum().notNull(),
    agentId: integer()
      .notNull()
      .references(() => users.id),
    shiftId: integer().references(() => shifts.id),
    /** null: an inbound call whose caller is not (yet) linked to a donor. */
    donorId: integer().references(() => donors.id),
    campaignId: integer().references(() => campaigns.id),
    teamId: integer().references(() => teams.id),
    offerId: integer(),
    appointmentId: integer(),
    phoneDialled: text(),
    offeredAt: timestamp({ withTimezone: true }),
    startedAt: timestamp({ withTimezone: true }).notNull(),
    endedAt: timestamp({ withTimezone: true }),
    endReasonId: integer().references(() => endReasons.id),
    notes: text().notNull().default(''),
    updatedAt: timestamp({ withTimezone: true }).notNull(),
    /**
     * What the softphone's signalling observed (features/telephony: recordCallSignal), stamped
     * by the server's clock; all null on a call placed without a phone system (the tel: link).
     */
    dialledAt: timestamp({ withTimezone: true }),
    answeredAt: timestamp({ withTimezone: true }),
    hungUpAt: timestamp({ withTimezone: true }),
    hangupSide: hangupSideEnum(),
    hangupCause: hangupCauseEnum(),
    sipStatus: smallint(),
  },
  (t) => [
    uniqueIndex('calls_offer_key').on(t.offerId),
    index('calls_agent_started_idx').on(t.agentId, t.startedAt),
    index('calls_donor_started_idx').on(t.donorId, t.startedAt),
    index('calls_campaign_started_idx').on(t.campaignId, t.startedAt),
    index('calls_shift_idx').on(t.shiftId),
  ],
);

/** The columns of a call that hold its line (features/telephony telephony.rules LineState), for every read of it. */
export const callLineColumns = {
  dialledAt: calls.dialledAt,
  answeredAt: calls.answeredAt,
  hungUpAt: calls.hungUpAt,
  hangupSide: calls.hangupSide,
  hangupCause: calls.hangupCause,
  sipStatus: calls.sipStatus,
};

export const appointmentStatusEnum = pgEnum('appointment_status', ['scheduled', 'done', 'missed', 'cancelled']);

export const appointments = pgTable(
  'appointments',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    donorId: integer()
      .notNull()
      .references(() => donors.id),
    campaignId: integer()
      .notNull()
      .references(() => campaigns.id),
    scheduledAt: timestamp({ withTimezone: true }).notNull(),
    /** null: anyone working the campaign may call. */
    ownerAgentId: integer().references(() => users.id),
    notes: text().notNull().default(''),
    status: appointmentStatusEnum().notNull().default('scheduled'),
    bookedCallId: integer(),
    keptCallId: integer(),
    /** When the owner was reminded that the call-back is due (live popup). */
    remindedAt: timestamp({ withTimezone: true }),
    createdBy: integer().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    index('appointments_owner_idx').on(t.ownerAgentId, t.scheduledAt),
    index('appointments_campaign_idx').on(t.campaignId, t.scheduledAt),
    index('appointments_donor_idx').on(t.donorId),
    index('appointments_booked_call_idx')
      .on(t.bookedCallId)
      .where(sql`${t.status} = 'scheduled'`),
    index('appointments_scheduled_open_idx')
      .on(t.scheduledAt)
      .where(sql`${t.status} = 'scheduled'`),
  ],
);

/** Answers already given to requests that carried an Idempotency-Key. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    userId: integer().notNull(),
    operation: text().notNull(),
    key: text().notNull(),
    requestHash: text().notNull(),
    statusCode: integer(),
    response: jsonb(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.operation, t.key] }),
    index('idempotency_keys_created_idx').on(t.createdAt),
  ],
);
