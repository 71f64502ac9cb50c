import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { OfferInboundCallAnswer, WeekdayHours } from '@engage/contracts';
import { campaigns } from './campaigns';
import { appointments } from './dialer';
import { teams } from './teams';
import { users } from './users';

/** What a line does with a caller when it is closed or the wait runs out. */
export const inboundActionEnum = pgEnum('inbound_action', ['voicemail', 'callback']);

/**
 * A phone number donors dial. Its opening hours have the shape of a campaign's calling hours
 * (`weekdayHours`, Monday first, and `closedDates`), read in the line's own time zone.
 */
export const inboundLines = pgTable(
  'inbound_lines',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    /** E.164, as libphonenumber writes it. */
    number: text().notNull().unique(),
    name: text().notNull().unique(),
    /** The campaign the line's calls are recorded under ("General enquiries" unless chosen). */
    campaignId: integer()
      .notNull()
      .references(() => campaigns.id),
    /** IANA zone the opening hours and closed dates are read in. */
    timeZone: text().notNull(),
    weekdayHours: jsonb().$type<WeekdayHours>().notNull(),
    closedDates: date()
      .array()
      .notNull()
      .default(sql`'{}'`),
    ringSeconds: integer().notNull().default(20),
    maxWaitSeconds: integer().notNull().default(300),
    closedAction: inboundActionEnum().notNull().default('voicemail'),
    overflowAction: inboundActionEnum().notNull().default('voicemail'),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('inbound_lines_campaign_id_idx').on(t.campaignId),
    check('inbound_lines_number_e164', sql`${t.number} ~ '^\\+[1-9][0-9]{6,14}$'`),
    check('inbound_lines_ring_seconds', sql`${t.ringSeconds} between 5 and 120`),
    check('inbound_lines_max_wait_seconds', sql`${t.maxWaitSeconds} between 10 and 3600`),
  ],
);

/** The teams whose agents answer a line. */
export const inboundLineTeams = pgTable(
  'inbound_line_teams',
  {
    lineId: integer()
      .notNull()
      .references(() => inboundLines.id, { onDelete: 'cascade' }),
    teamId: integer()
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.lineId, t.teamId] }), index('inbound_line_teams_team_id_idx').on(t.teamId)],
);

/**
 * A phone system's API token: only its SHA-256 is kept (the token is shown once, at creation).
 * A revoked token authenticates nothing.
 */
export const phoneSystemTokens = pgTable('phone_system_tokens', {
  id: integer().primaryKey().generatedAlwaysAsIdentity(),
  name: text().notNull(),
  tokenHash: text().notNull().unique(),
  createdBy: integer()
    .notNull()
    .references(() => users.id),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  revokedAt: timestamp({ withTimezone: true }),
});

export const inboundCallStatusEnum = pgEnum('inbound_call_status', [
  'queued',
  'ringing',
  'answered',
  'abandoned',
  'ended',
  'closed',
  'overflow',
]);

export const inboundCallEventTypeEnum = pgEnum('inbound_call_event_type', [
  'queued',
  'closed',
  'overflow',
  'ringing',
  'no_answer',
  'declined',
  /**
   * The agent was rung, then became unavailable before answering (a break, Sign Out, a manager's
   * sign-out, the account disabled, their screen gone, another call taken): not a miss.
   */
  'left',
  'answered',
  'abandoned',
  'ended',
  /** The caller asked to be called back (closed or overflow action `callback`): see inbound-callback.ts. */
  'callback_requested',
]);

/** Where a call's record came from: the phone system's API, or an agent's Log inbound call (desk phone). */
export const inboundCallSourceEnum = pgEnum('inbound_call_source', ['phone_system', 'manual']);

/**
 * A call the phone system offered, or one an agent logged by hand (source 'manual': no phone
 * system, no external id). `externalId` is the phone system's own call id, unique per token: the
 * same offer sent again finds this row and answers the call's current instruction (the phone
 * system polls so while its caller queues). `offerAnswer`: the offer's first answer, replaced by
 * the overflow answer when the wait runs out; a closed or overflowed call answers it again.
 */
export const inboundCalls = pgTable(
  'inbound_calls',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    source: inboundCallSourceEnum().notNull().default('phone_system'),
    /** Null only for a call an agent logged by hand. */
    phoneSystemTokenId: integer().references(() => phoneSystemTokens.id),
    externalId: text(),
    lineId: integer()
      .notNull()
      .references(() => inboundLines.id),
    /** The caller's number as the phone system sent it ('' or 'anonymous' when withheld). */
    fromRaw: text().notNull(),
    /** The caller's number in E.164, when it reads as one. */
    fromE164: text('from_e164'),
    status: inboundCallStatusEnum().notNull(),
    /** The agent being rung now (status ringing). */
    ringingAgentId: integer().references(() => users.id),
    answeredBy: integer().references(() => users.id),
    /** While ringing: when the rung agent's time runs out and the next is rung (the sweep). */
    ringDeadline: timestamp({ withTimezone: true }),
    /** The call record (calls, direction inbound) made when an agent answered. */
    callId: integer(),
    /**
     * The call-back appointment made for the caller (closed or overflow action `callback`, the
     * number matching exactly one donor); null otherwise (see inbound-callback.ts).
     */
    callbackAppointmentId: integer().references(() => appointments.id),
    /** What the offer answered first (the overflow answer once the wait ran out); see above. */
    offerAnswer: jsonb().$type<OfferInboundCallAnswer>().notNull(),
    arrivedAt: timestamp({ withTimezone: true }).notNull(),
    answeredAt: timestamp({ withTimezone: true }),
    abandonedAt: timestamp({ withTimezone: true }),
    endedAt: timestamp({ withTimezone: true }),
    updatedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('inbound_calls_external_id_key').on(t.phoneSystemTokenId, t.externalId),
    check(
      'inbound_calls_source_ids',
      sql`(${t.source} = 'phone_system') = (${t.phoneSystemTokenId} is not null and ${t.externalId} is not null)`,
    ),
    // A line's queue, oldest first: the caller's position and (next) the longest-waiting call.
    index('inbound_calls_line_queue_idx')
      .on(t.lineId, t.arrivedAt, t.id)
      .where(sql`${t.status} = 'queued'`),
    index('inbound_calls_line_arrived_idx').on(t.lineId, t.arrivedAt),
    // The managers' Inbound calls, every line, newest first (keyset on arrival, id).
    index('inbound_calls_arrived_idx').on(t.arrivedAt, t.id),
    // The sweep's ring time-outs.
    index('inbound_calls_ring_deadline_idx')
      .on(t.ringDeadline)
      .where(sql`${t.status} = 'ringing'`),
    // The inbound call behind a call record: the live floor shows an agent's inbound call with its
    // line; the managers' Calls list an answered call's line and history.
    uniqueIndex('inbound_calls_call_id_key')
      .on(t.callId)
      .where(sql`${t.callId} is not null`),
    // One call rings one agent at a time, and an agent is rung for one call at a time.
    uniqueIndex('inbound_calls_ringing_agent_key')
      .on(t.ringingAgentId)
      .where(sql`${t.status} = 'ringing'`),
  ],
);

/** A call's history: each thing that happened to it, in order. */
export const inboundCallEvents = pgTable(
  'inbound_call_events',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    inboundCallId: integer()
      .notNull()
      .references(() => inboundCalls.id, { onDelete: 'cascade' }),
    type: inboundCallEventTypeEnum().notNull(),
    agentId: integer().references(() => users.id),
    at: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index('inbound_call_events_call_idx').on(t.inboundCallId, t.id)],
);
