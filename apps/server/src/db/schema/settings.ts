import { boolean, check, integer, pgEnum, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import type { BreakReasonSystemKey } from '@engage/contracts';

/** Admin-defined job roles: which work a shift takes. */
export const jobRoles = pgTable(
  'job_roles',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    name: text().notNull().unique(),
    outbound: boolean().notNull(),
    inbound: boolean().notNull(),
    position: integer().notNull().default(0),
    retiredAt: timestamp({ withTimezone: true }),
  },
  (t) => [check('job_roles_takes_work', sql`${t.outbound} or ${t.inbound}`)],
);

export const skipOutcomeEnum = pgEnum('skip_outcome', ['requeue', 'remove']);
export const endOutcomeEnum = pgEnum('end_outcome', ['final', 'retry', 'appointment', 'do_not_call']);
/** The calls an end reason applies to (endReasonFits in packages/contracts/src/settings.ts). */
export const endReasonDirectionEnum = pgEnum('end_reason_direction', ['both', 'outbound', 'inbound']);

export const skipReasons = pgTable('skip_reasons', {
  id: integer().primaryKey().generatedAlwaysAsIdentity(),
  name: text().notNull().unique(),
  outcome: skipOutcomeEnum().notNull(),
  position: integer().notNull().default(0),
  retiredAt: timestamp({ withTimezone: true }),
});

export const endReasons = pgTable(
  'end_reasons',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    name: text().notNull().unique(),
    outcome: endOutcomeEnum().notNull(),
    /** Only for outcome "retry": minutes until the donor may be called again. */
    retryMinutes: integer(),
    countsAsContact: boolean().notNull().default(false),
    countsAsSuccess: boolean().notNull().default(false),
    /** Outbound calls, inbound calls or both: End Call and a correction refuse a reason of the other direction. */
    direction: endReasonDirectionEnum().notNull().default('both'),
    position: integer().notNull().default(0),
    retiredAt: timestamp({ withTimezone: true }),
    /**
     * Set on the reasons the system records when it ends a call itself (the agent disabled or
     * signed out by a manager, the browser gone too long): 'system' or 'manager'. Never offered to
     * agents nor listed in the settings; outcome retry, so the donor is called again.
     */
    systemKey: text().unique(),
  },
  (t) => [
    check('end_reasons_system_key', sql`${t.systemKey} in ('system', 'manager')`),
    check(
      'end_reasons_retry_minutes',
      sql`(${t.outcome} = 'retry') = (${t.retryMinutes} is not null and ${t.retryMinutes} > 0)`,
    ),
  ],
);

export const breakReasons = pgTable(
  'break_reasons',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    /** The label agents and managers see; a system break reason's may be renamed. */
    name: text().notNull().unique(),
    position: integer().notNull().default(0),
    retiredAt: timestamp({ withTimezone: true }),
    /**
     * Set on the break reasons the system puts an agent on itself, found by it (never by name):
     * 'missed_calls' (BREAK_REASON_SYSTEM_KEYS in packages/contracts/src/inbound.ts).
     */
    systemKey: text().$type<BreakReasonSystemKey>().unique(),
  },
  (t) => [check('break_reasons_system_key', sql`${t.systemKey} in ('missed_calls')`)],
);
