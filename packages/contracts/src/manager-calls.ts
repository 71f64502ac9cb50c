import { z } from 'zod';
import { weekdayHoursSchema } from './calling-hours';
import { boundedIntSchema, idSchema, pageCursorSchema } from './ids';
import { notesSchema, appointmentStatusSchema } from './shift';
import { endOutcomeSchema } from './settings';
import { inboundCallStatusSchema } from './inbound';
import { callLineSchema, hangupCauses } from './telephony';

/**
 * Calls and appointments as managers see them (every call and call-back of the teams they lead),
 * their corrections, and the audit trail those corrections leave.
 */

const isoInstant = z.iso.datetime({ offset: true });
const id = idSchema;

/** Path parameters. */
export const callIdParamsSchema = z.object({ callId: idSchema });
export const appointmentIdParamsSchema = z.object({ appointmentId: idSchema });
const named = z.object({ id: z.number().int(), name: z.string() });

/** A bound of a time filter: an ISO instant, or a calendar date read in `timeZone`. */
const instantOrDate = z
  .union([z.iso.date(), isoInstant])
  .describe('An ISO 8601 instant ("2026-06-10T09:00:00Z") or a date ("2026-06-10") read in `timeZone`');

const timeWindow = {
  from: instantOrDate.optional().describe('From this instant, or from the start of this date (inclusive)'),
  to: instantOrDate.optional().describe('Before this instant, or until the end of this date (inclusive)'),
  timeZone: z.string().max(64).default('UTC').describe('IANA zone in which dates of `from`/`to` are read'),
  limit: boundedIntSchema(1, 200).default(50),
  cursor: pageCursorSchema.optional(),
};

// ---------------------------------------------------------------- calls

export const callDirectionSchema = z.enum(['outbound', 'inbound']);
export type CallDirection = z.infer<typeof callDirectionSchema>;

export const listCallsQuerySchema = z.object({
  campaignId: id.optional(),
  teamId: id.optional().describe('The team the call was made for'),
  agentId: id.optional(),
  endReasonId: id.optional(),
  direction: callDirectionSchema.optional(),
  inboundLineId: id.optional().describe('Inbound calls answered on this inbound line'),
  hangupCause: z
    .enum(hangupCauses)
    .optional()
    .describe(
      'Calls whose softphone line ended so (the SIP signalling): normal (answered, then hung up), busy, no_answer, failed',
    ),
  ...timeWindow,
});
export type ListCallsQuery = z.infer<typeof listCallsQuerySchema>;

export const managerCallSchema = z
  .object({
    id: z.number().int(),
    direction: callDirectionSchema,
    agent: named,
    donor: z
      .object({ id: z.number().int(), name: z.string(), reference: z.string() })
      .nullable()
      .describe('null: an inbound caller not (yet) linked to a donor (a new caller; phoneDialled is their number)'),
    line: named.nullable().describe('The inbound line the caller rang (null: an outbound call)'),
    inboundCallId: z
      .number()
      .int()
      .nullable()
      .describe("The inbound call this call answered: its history is getInboundCallHistory's"),
    campaign: named.nullable(),
    team: named.nullable(),
    phoneDialled: z.string().nullable(),
    offeredAt: isoInstant.nullable(),
    startedAt: isoInstant,
    endedAt: isoInstant.nullable().describe('null while the call is in progress'),
    durationSeconds: z.number().int().nullable(),
    endReason: z.object({ id: z.number().int(), name: z.string(), outcome: endOutcomeSchema }).nullable(),
    notes: z.string(),
    appointmentId: z.number().int().nullable().describe('The call-back this call kept, if any'),
    corrected: z.boolean().describe('A manager has corrected this call: its audit trail has entries'),
    signalling: callLineSchema
      .nullable()
      .describe("What the softphone's SIP signalling recorded of the call (null: no softphone, e.g. the tel: link)"),
  })
  .meta({ id: 'ManagerCall' });
export type ManagerCall = z.infer<typeof managerCallSchema>;

export const callPageSchema = z
  .object({
    calls: z.array(managerCallSchema).describe('Newest first'),
    nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
  })
  .meta({ id: 'CallPage' });
export type CallPage = z.infer<typeof callPageSchema>;

export const updateCallBodySchema = z
  .object({
    endReasonId: id.optional(),
    notes: notesSchema.optional(),
    applyOutcome: z
      .boolean()
      .optional()
      .describe(
        "With a new end reason: apply its outcome as End Call does (do not call marks the donor everywhere, final stops retries in the call's campaign, retry queues the donor again after the reason's minutes, a call-back reason keeps a call-back booked on the call). Default true; false corrects the record only.",
      ),
  })
  .refine((b) => b.endReasonId !== undefined || b.notes !== undefined, {
    message: 'Send the end reason, the notes, or both',
  });
export type UpdateCallBody = z.infer<typeof updateCallBodySchema>;

export const callCorrectionOutcomeSchema = z
  .object({
    applied: z.boolean().describe('false: the manager chose to correct the record only'),
    donorMarkedDoNotCall: z.boolean().describe('The correction marked the donor do not call in every campaign'),
    queue: z
      .enum(['finished', 'requeued', 'callback', 'unchanged'])
      .describe("What became of the donor in the call's campaign"),
    nextAttemptAt: isoInstant.nullable().describe('Requeued or kept for a call-back: when the donor may be offered'),
    message: z.string().describe('What the correction did, in words (also kept in the audit trail)'),
  })
  .meta({ id: 'CallCorrectionOutcome' });
export type CallCorrectionOutcome = z.infer<typeof callCorrectionOutcomeSchema>;

export const correctedCallSchema = managerCallSchema
  .extend({
    outcome: callCorrectionOutcomeSchema.nullable().describe('null: the end reason did not change'),
  })
  .meta({ id: 'CorrectedCall' });
export type CorrectedCall = z.infer<typeof correctedCallSchema>;

// ---------------------------------------------------------------- inbound calls

/** Every kind of entry of an inbound call's history (inbound_call_events.type). */
export const inboundCallHistoryEventTypeSchema = z.enum([
  'queued',
  'closed',
  'overflow',
  'ringing',
  'no_answer',
  'declined',
  'left',
  'answered',
  'abandoned',
  'ended',
  'callback_requested',
]);

export const listInboundCallsQuerySchema = z.object({
  lineId: id.optional(),
  status: inboundCallStatusSchema.optional().describe('e.g. abandoned: callers who hung up before an agent answered'),
  ...timeWindow,
});
export type ListInboundCallsQuery = z.infer<typeof listInboundCallsQuerySchema>;

/** An inbound call as managers see it, whether or not an agent answered it. */
export const managerInboundCallSchema = z
  .object({
    id: z.number().int(),
    line: named,
    from: z.string().describe("The caller's number as the phone system sent it ('' or 'anonymous': withheld)"),
    fromE164: z.string().nullable(),
    status: inboundCallStatusSchema,
    source: z.enum(['phone_system', 'manual']).describe('manual: an agent logged a desk-phone call'),
    arrivedAt: isoInstant,
    answeredAt: isoInstant.nullable(),
    answeredBy: named.nullable(),
    abandonedAt: isoInstant.nullable(),
    endedAt: isoInstant.nullable(),
    waitedSeconds: z
      .number()
      .int()
      .nullable()
      .describe('From arrival to the answer, or to the caller hanging up; null while still waiting'),
    callId: z.number().int().nullable().describe('The call record made when an agent answered'),
    donor: z.object({ id: z.number().int(), name: z.string(), reference: z.string() }).nullable(),
    endReason: named.nullable().describe("The answered call's end reason"),
    callback: z
      .object({
        appointmentId: z
          .number()
          .int()
          .nullable()
          .describe(
            'The call-back appointment made for the one donor with this number; null: no single donor has it, call the number back and link the donor',
          ),
      })
      .nullable()
      .describe("The caller asked to be called back (the line's closed or overflow action); null: they did not"),
  })
  .meta({ id: 'ManagerInboundCall' });
export type ManagerInboundCall = z.infer<typeof managerInboundCallSchema>;

export const inboundCallPageSchema = z
  .object({
    inboundCalls: z.array(managerInboundCallSchema).describe('Newest first (by arrival)'),
    nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
  })
  .meta({ id: 'InboundCallPage' });
export type InboundCallPage = z.infer<typeof inboundCallPageSchema>;

export const inboundCallHistorySchema = z
  .object({
    call: managerInboundCallSchema,
    events: z
      .array(
        z.object({
          at: isoInstant,
          type: inboundCallHistoryEventTypeSchema,
          agent: named.nullable().describe('The agent rung, who missed, declined or answered'),
        }),
      )
      .describe('Oldest first: queued, each agent rung and what they did, answered, abandoned, ended'),
  })
  .meta({ id: 'InboundCallHistory' });
export type InboundCallHistory = z.infer<typeof inboundCallHistorySchema>;

// ---------------------------------------------------------------- appointments

export const listAppointmentsQuerySchema = z.object({
  campaignId: id.optional(),
  teamId: id.optional().describe('Appointments of the campaigns this team works'),
  ownerAgentId: z
    .union([id, z.literal('anyone')])
    .optional()
    .describe('An agent id, or "anyone" for call-backs open to anyone in the campaign'),
  status: appointmentStatusSchema.optional(),
  ...timeWindow,
});
export type ListAppointmentsQuery = z.infer<typeof listAppointmentsQuerySchema>;

export const managerAppointmentSchema = z
  .object({
    id: z.number().int(),
    donor: z.object({
      id: z.number().int(),
      name: z.string(),
      reference: z.string(),
      timeZone: z.string().describe('IANA time zone of the donor'),
      country: z
        .string()
        .nullable()
        .describe('ISO 3166-1 alpha-2: its legal calling window applies (null: the default)'),
    }),
    campaign: z.object({
      id: z.number().int(),
      name: z.string(),
      callingHoursStart: z.string().describe('HH:MM, donor local time'),
      callingHoursEnd: z.string().describe('HH:MM, donor local time; 24:00 is midnight'),
      weekdayHours: weekdayHoursSchema,
      closedDates: z.array(z.string()).describe("Dates (YYYY-MM-DD, the donor's calendar) without calls"),
    }),
    scheduledAt: isoInstant,
    owner: named.nullable().describe('null: anyone working the campaign may call'),
    notes: z.string(),
    status: appointmentStatusSchema,
    bookedCallId: z.number().int().nullable(),
    keptCallId: z.number().int().nullable(),
    createdAt: isoInstant,
  })
  .meta({ id: 'ManagerAppointment' });
export type ManagerAppointment = z.infer<typeof managerAppointmentSchema>;

export const appointmentPageSchema = z
  .object({
    appointments: z.array(managerAppointmentSchema).describe('Earliest scheduled first'),
    nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
  })
  .meta({ id: 'AppointmentPage' });
export type AppointmentPage = z.infer<typeof appointmentPageSchema>;

export const updateAppointmentBodySchema = z
  .object({
    scheduledAt: isoInstant
      .optional()
      .describe("Reschedule: in the future, inside the campaign's calling hours in the donor's time zone"),
    ownerAgentId: id
      .nullable()
      .optional()
      .describe('Reassign: a member of a team working the campaign, or null for anyone in the campaign'),
    notes: notesSchema.optional(),
  })
  .refine((b) => b.scheduledAt !== undefined || b.ownerAgentId !== undefined || b.notes !== undefined, {
    message: 'Send scheduledAt, ownerAgentId or notes',
  });
export type UpdateAppointmentBody = z.infer<typeof updateAppointmentBodySchema>;

export const createAppointmentBodySchema = z
  .object({
    donorId: id,
    campaignId: id,
    scheduledAt: isoInstant.describe(
      "ISO 8601 instant of the call-back: in the future, inside the campaign's calling hours in the donor's time zone",
    ),
    ownerAgentId: id
      .nullable()
      .optional()
      .describe(
        'A member of a team working the campaign (an agent: only themselves), or null / absent for anyone in the campaign',
      ),
    notes: notesSchema.optional(),
  })
  .meta({ id: 'CreateAppointmentBody' });
export type CreateAppointmentBody = z.infer<typeof createAppointmentBodySchema>;

export const appointmentOwnerOptionsSchema = z
  .object({ agents: z.array(named).describe('Members of the teams working the campaign, by name') })
  .meta({ id: 'AppointmentOwnerOptions' });
export type AppointmentOwnerOptions = z.infer<typeof appointmentOwnerOptionsSchema>;

// ---------------------------------------------------------------- audit trail

export const auditTrailQuerySchema = z.object({
  entityType: z
    .string()
    .regex(/^[a-z_]{1,40}$/, 'A lower-case entity type such as "call" or "appointment"')
    .describe('donor, campaign, call, appointment (managers: those they may read); any entity type (admins)'),
  entityId: id,
});
export type AuditTrailQuery = z.infer<typeof auditTrailQuerySchema>;

export const auditTrailEntrySchema = z
  .object({
    id: z.number().int(),
    at: isoInstant,
    action: z.string().describe('e.g. update, reschedule, reassign, cancel'),
    actor: named.nullable().describe('Who made the change (null: the system)'),
    before: z.unknown().describe('The changed fields before (JSON), or null'),
    after: z.unknown().describe('The changed fields after (JSON), or null'),
  })
  .meta({ id: 'AuditTrailEntry' });
export type AuditTrailEntry = z.infer<typeof auditTrailEntrySchema>;

export const auditTrailSchema = z
  .object({
    entityType: z.string(),
    entityId: z.number().int(),
    entries: z.array(auditTrailEntrySchema).describe('Newest first'),
  })
  .meta({ id: 'AuditTrail' });
export type AuditTrail = z.infer<typeof auditTrailSchema>;
