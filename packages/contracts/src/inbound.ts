import { z } from 'zod';
import { closedDatesSchema, mayCallAt, weekdayHoursSchema, type WeekdayHours } from './calling-hours';
import { freeText } from './free-text';
import { idListSchema, idSchema } from './ids';
import { donorSummarySchema } from './lists';
import { canonicalTimeZone } from './time-zones';

/**
 * Inbound calls (issue 11): the lines donors dial, the phone systems that tell Engage about each
 * call, and what Engage answers them. A line's opening hours have the shape and the validation of
 * a campaign's calling hours (`weekdayHoursSchema`, `closedDatesSchema`), read in the line's zone.
 */

/** Calls an agent lets ring out or declines in a row before they are put on a break ... */
export const MISSES_BEFORE_BREAK = 2;
/**
 * ... with this break reason, found by its system key (break_reasons.system_key), which the
 * agent's screen explains. Its name is only its label (made with this one on first need).
 */
export const MISSED_CALLS_BREAK_KEY = 'missed_calls' as const;
export const MISSED_CALLS_BREAK = 'Missed calls';
/** The system's own break reasons: break_reasons.system_key. */
export const BREAK_REASON_SYSTEM_KEYS = [MISSED_CALLS_BREAK_KEY] as const;
export type BreakReasonSystemKey = (typeof BREAK_REASON_SYSTEM_KEYS)[number];

export const inboundActions = ['voicemail', 'callback'] as const;
export const inboundActionSchema = z
  .enum(inboundActions, { error: 'Choose voicemail or callback' })
  .describe('voicemail: the caller leaves a message; callback: the caller asks to be called back');
export type InboundAction = z.infer<typeof inboundActionSchema>;

export const inboundCallStatuses = [
  'queued',
  'ringing',
  'answered',
  'abandoned',
  'ended',
  'closed',
  'overflow',
] as const;
export const inboundCallStatusSchema = z.enum(inboundCallStatuses);
export type InboundCallStatus = z.infer<typeof inboundCallStatusSchema>;

const timeZoneSchema = z
  .string()
  .max(64, 'At most 64 characters')
  .transform((raw, ctx) => {
    const zone = canonicalTimeZone(raw);
    if (zone === null) {
      ctx.addIssue({ code: 'custom', message: 'Use an IANA time zone, e.g. Europe/London' });
      return z.NEVER;
    }
    return zone;
  })
  .describe('IANA time zone the opening hours are read in, e.g. Europe/London');

const lineFields = {
  number: z
    .string()
    .trim()
    .min(1, 'Enter the number callers dial')
    .max(40, 'At most 40 characters')
    .describe(
      'The number callers dial, in any format (stored in E.164); without +country code it is read in `country`',
    ),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, 'Use a two-letter ISO country code, e.g. GB')
    .describe('Where a number typed without its +country code belongs'),
  name: freeText(100).min(1, 'Enter a name'),
  teamIds: idListSchema(50).describe('The teams whose agents answer the line'),
  campaignId: idSchema.describe('The campaign its calls are recorded under; default "General enquiries"'),
  timeZone: timeZoneSchema,
  weekdayHours: weekdayHoursSchema.describe('Opening hours per weekday, Monday first; null: closed that day'),
  closedDates: closedDatesSchema.describe("Dates (public holidays, the line's calendar) on which the line is closed"),
  ringSeconds: z
    .number()
    .int('Whole seconds')
    .min(5, 'At least 5 seconds')
    .max(120, 'At most 120 seconds')
    .describe("How long one agent's phone rings before the next agent is rung"),
  maxWaitSeconds: z
    .number()
    .int('Whole seconds')
    .min(10, 'At least 10 seconds')
    .max(3600, 'At most 3,600 seconds')
    .describe('The longest a caller waits in the queue before the overflow action'),
  closedAction: inboundActionSchema.describe('What a caller gets when the line is closed'),
  overflowAction: inboundActionSchema.describe('What a caller gets when the wait runs out'),
};

const OPEN_WEEKDAYS: WeekdayHours = Array.from({ length: 7 }, (_, i) =>
  i < 5 ? { start: '09:00', end: '17:00' } : null,
);

export const createInboundLineBodySchema = z.object({
  number: lineFields.number,
  country: lineFields.country.optional(),
  name: lineFields.name,
  teamIds: lineFields.teamIds.default([]),
  campaignId: lineFields.campaignId.optional(),
  timeZone: lineFields.timeZone,
  weekdayHours: lineFields.weekdayHours.default(OPEN_WEEKDAYS),
  closedDates: lineFields.closedDates.default([]),
  ringSeconds: lineFields.ringSeconds.default(20),
  maxWaitSeconds: lineFields.maxWaitSeconds.default(300),
  closedAction: lineFields.closedAction.default('voicemail'),
  overflowAction: lineFields.overflowAction.default('voicemail'),
});
export type CreateInboundLineBody = z.infer<typeof createInboundLineBodySchema>;

export const updateInboundLineBodySchema = z.object({
  number: lineFields.number.optional(),
  country: lineFields.country.optional(),
  name: lineFields.name.optional(),
  teamIds: lineFields.teamIds.optional(),
  campaignId: lineFields.campaignId.optional(),
  timeZone: lineFields.timeZone.optional(),
  weekdayHours: lineFields.weekdayHours.optional(),
  closedDates: lineFields.closedDates.optional(),
  ringSeconds: lineFields.ringSeconds.optional(),
  maxWaitSeconds: lineFields.maxWaitSeconds.optional(),
  closedAction: lineFields.closedAction.optional(),
  overflowAction: lineFields.overflowAction.optional(),
});
export type UpdateInboundLineBody = z.infer<typeof updateInboundLineBodySchema>;

export const inboundLineIdParamsSchema = z.object({ lineId: idSchema });

export const inboundLineSchema = z
  .object({
    id: z.number().int(),
    number: z.string().describe('E.164'),
    name: z.string(),
    teams: z.array(z.object({ id: z.number().int(), name: z.string() })),
    editable: z
      .boolean()
      .describe('The reader may change the line: an admin, or a manager who leads every team answering it'),
    campaign: z.object({ id: z.number().int(), name: z.string() }),
    timeZone: z.string(),
    weekdayHours: weekdayHoursSchema,
    closedDates: z.array(z.string()),
    ringSeconds: z.number().int(),
    maxWaitSeconds: z.number().int(),
    closedAction: inboundActionSchema,
    overflowAction: inboundActionSchema,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'InboundLine' });
export type InboundLine = z.infer<typeof inboundLineSchema>;
export const inboundLineListSchema = z.object({ lines: z.array(inboundLineSchema) });

/** The line is open at `at`: a day with hours, not a closed date, within that day's hours, in its zone. */
export function inboundLineOpenAt(
  at: Date,
  line: { timeZone: string; weekdayHours: WeekdayHours; closedDates: string[] },
): boolean {
  // The calling-hours rule without a legal window: a line answers whenever its own hours say.
  return mayCallAt(at, line.timeZone, {
    weekdayHours: line.weekdayHours,
    closedDates: line.closedDates,
    legal: { start: '00:00', end: '24:00', closedWeekdays: [] },
  });
}

// Phone systems' tokens (administrators)

export const createPhoneSystemTokenBodySchema = z.object({
  name: freeText(100).min(1, 'Name the phone system, e.g. "Head office PBX"'),
});
export type CreatePhoneSystemTokenBody = z.infer<typeof createPhoneSystemTokenBodySchema>;
export const createdPhoneSystemTokenSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    token: z.string().describe('Shown this once: Engage keeps only its hash'),
  })
  .meta({ id: 'CreatedPhoneSystemToken' });
export const phoneSystemTokenIdParamsSchema = z.object({ tokenId: idSchema });
export const phoneSystemTokenSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    createdAt: z.iso.datetime(),
    revokedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'PhoneSystemToken' });
export type PhoneSystemToken = z.infer<typeof phoneSystemTokenSchema>;
export const phoneSystemTokenListSchema = z.object({
  tokens: z.array(phoneSystemTokenSchema).describe('Newest first, revoked ones too'),
});

// The phone system's API

const callIdSchema = z
  .string()
  .trim()
  .min(1, "Send the phone system's own id of the call")
  .max(200, 'At most 200 characters')
  .describe("The phone system's own id of the call: every message about the call carries it");

export const offerInboundCallBodySchema = z.object({
  callId: callIdSchema,
  from: z
    .string()
    .max(64, 'At most 64 characters')
    .describe('The caller\'s number in any format; "" or "anonymous" when withheld'),
  to: z.string().trim().min(1, 'Send the number the caller dialled').max(64).describe('The dialled number'),
  arrivedAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe(
      "When the call reached the phone system (the caller's wait counts from then); default: when Engage got the offer. A time in the future, or more than 300 s before Engage's clock (the signature's window), is not believed: Engage's clock is used",
    ),
});
export type OfferInboundCallBody = z.infer<typeof offerInboundCallBodySchema>;

export const offerInboundCallAnswerSchema = z
  .discriminatedUnion('action', [
    z.object({
      inboundCallId: z.number().int(),
      action: z.literal('ring'),
      agentId: z.number().int(),
      agentName: z.string().describe('The agent rung'),
      ringSeconds: z.number().int().describe('Ring this long, then send no_answer'),
      sipUri: z
        .string()
        .nullable()
        .optional()
        .describe(
          "How to reach the agent: their softphone's SIP address when Engage runs with a SIP server (TELEPHONY=sip); null or absent: ring the agent's own phone as the phone system knows them",
        ),
    }),
    z.object({
      inboundCallId: z.number().int(),
      action: z.literal('queue'),
      position: z.number().int().describe("The caller's place in the line's queue, 1 first"),
    }),
    z.object({
      inboundCallId: z.number().int(),
      action: z.enum(['closed', 'overflow']),
      then: inboundActionSchema.describe(
        "voicemail: take a message; callback: tell the caller they will be called back. Engage has recorded the request on the call and, when the number is exactly one donor's, booked a call-back for anyone in the line's teams, due when the line next opens. A withheld number cannot be called back: such a caller is answered voicemail even on a callback line",
      ),
    }),
  ])
  .meta({ id: 'InboundCallInstruction' });
export type OfferInboundCallAnswer = z.infer<typeof offerInboundCallAnswerSchema>;

export const inboundCallEventTypes = ['ringing', 'answered', 'no_answer', 'declined', 'abandoned', 'ended'] as const;
export const inboundCallEventBodySchema = z.object({
  callId: callIdSchema,
  type: z.enum(inboundCallEventTypes),
  agentId: idSchema.optional().describe('The agent rung, answering, declining or not answering'),
});
export type InboundCallEventBody = z.infer<typeof inboundCallEventBodySchema>;

export const inboundCallEventAnswerSchema = z
  .object({
    inboundCallId: z.number().int(),
    status: inboundCallStatusSchema,
    recorded: z.boolean().describe('false: the same event was already recorded, nothing changed'),
    next: offerInboundCallAnswerSchema.nullable().describe('What to do now, when there is something to do'),
  })
  .meta({ id: 'InboundCallEventAnswer' });
export type InboundCallEventAnswer = z.infer<typeof inboundCallEventAnswerSchema>;

// Caller matching and the agent's desk phone (Log inbound call)

export const logInboundCallBodySchema = z.object({
  lineId: idSchema
    .optional()
    .describe('The line the caller rang; leave it out when your teams answer one line (that one is taken)'),
  from: z
    .string()
    .max(64, 'At most 64 characters')
    .describe('The caller\'s number as shown on the desk phone, in any format; "" or "anonymous" when withheld'),
});
export type LogInboundCallBody = z.infer<typeof logInboundCallBodySchema>;

export const loggedInboundCallSchema = z
  .object({
    inboundCallId: z.number().int(),
    lineId: z.number().int(),
    lineName: z.string(),
    from: z.string(),
    fromE164: z.string().nullable().describe("The caller's number in E.164; null when withheld or not a valid number"),
    withheld: z.boolean().describe('The caller withheld their number: nobody to match, search for the donor instead'),
    donors: z
      .array(donorSummarySchema)
      .describe(
        'Donors whose main or other phone is the number: one pops, several let the agent choose, none is a new caller',
      ),
    more: z.boolean().describe('More donors have this number than are listed: search instead'),
  })
  .meta({ id: 'LoggedInboundCall' });
export type LoggedInboundCall = z.infer<typeof loggedInboundCallSchema>;

// The manager's view of the lines' queues

export const inboundQueueSchema = z
  .object({
    lines: z.array(
      z.object({
        lineId: z.number().int(),
        lineName: z.string(),
        number: z.string(),
        waiting: z.number().int().describe('Callers waiting in the queue'),
        longestWaitSeconds: z.number().int().describe('How long the longest-waiting caller has waited (0: nobody)'),
        agentsFree: z
          .number()
          .int()
          .describe(
            'Agents who could answer now: open shift whose screen answers, job role that takes inbound, in a team answering the line, Ready or previewing an outbound donor, not ringing for another call',
          ),
        calls: z
          .array(
            z.object({
              inboundCallId: z.number().int(),
              from: z.string(),
              waitedSeconds: z.number().int(),
              position: z.number().int().describe('1 first'),
            }),
          )
          .describe('The waiting calls, longest wait first (at most the first 50)'),
      }),
    ),
  })
  .meta({ id: 'InboundQueue' });
export type InboundQueue = z.infer<typeof inboundQueueSchema>;
// The agent's side

/** The inbound call ringing the agent now, as their screen pops it (getShift's `incoming`). */
export const incomingInboundCallSchema = z
  .object({
    inboundCallId: z.number().int(),
    lineName: z.string(),
    from: z.string().describe("The caller's number (E.164 when it reads as one; '' when withheld)"),
    donors: z
      .array(z.object({ id: z.number().int(), name: z.string(), reference: z.string() }))
      .describe("Donors whose phone is the caller's number; [] for a new or withheld caller"),
    waitedSeconds: z.number().int().describe('How long the caller has waited since the call arrived'),
    ringUntil: z.iso.datetime().describe('When the call passes to the next agent unless answered'),
  })
  .meta({ id: 'IncomingInboundCall' });
export type IncomingInboundCall = z.infer<typeof incomingInboundCallSchema>;

export const inboundCallIdParamsSchema = z.object({ inboundCallId: idSchema });
