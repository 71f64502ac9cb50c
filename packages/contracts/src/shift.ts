import { z } from 'zod';
import { campaignPurposeSchema } from './campaigns';
import { freeText } from './free-text';
import { boundedIntSchema, idSchema } from './ids';
import { endReasonSchema } from './settings';
import { BREAK_REASON_SYSTEM_KEYS, incomingInboundCallSchema } from './inbound';
import { callLineSchema } from './telephony';

export const shiftStates = ['signed_in', 'ready', 'previewing', 'on_call', 'on_break', 'out_of_data'] as const;
export const shiftStateSchema = z.enum(shiftStates);
export type ShiftState = z.infer<typeof shiftStateSchema>;

const isoInstant = z.iso.datetime({ offset: true });

export const offerDonorSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    reference: z.string(),
    phone: z.string().describe('E.164'),
    timeZone: z.string().describe('IANA time zone of the donor'),
    country: z.string().nullable().describe('ISO 3166-1 alpha-2: its legal calling window applies (null: the default)'),
  })
  .meta({ id: 'OfferDonor' });

export const offerSchema = z
  .object({
    id: z.number().int(),
    expiresAt: isoInstant.describe('The hold ends then unless the call starts'),
    donor: offerDonorSchema,
    campaign: z.object({ id: z.number().int(), name: z.string(), purpose: campaignPurposeSchema, script: z.string() }),
    /** Why this donor is called, in one line, e.g. "Failed payment: £25.00 due 2026-11-01 (Card expired)". */
    why: z.string(),
    attempts: z.number().int().describe('Calls made to this donor in this campaign so far'),
    maxAttempts: z.number().int(),
    lastContact: z
      .object({ at: isoInstant, endReason: z.string().nullable(), agentName: z.string().nullable() })
      .nullable(),
    appointment: z
      .object({ id: z.number().int(), scheduledAt: isoInstant, notes: z.string(), personal: z.boolean() })
      .nullable()
      .describe('Set when this offer keeps a booked call-back'),
  })
  .meta({ id: 'Offer' });
export type Offer = z.infer<typeof offerSchema>;

export const callSchema = z
  .object({
    id: z.number().int(),
    direction: z.enum(['outbound', 'inbound']),
    donorId: z.number().int().nullable().describe('null: an inbound caller not (yet) linked to a donor'),
    donorName: z.string().nullable(),
    donorReference: z.string().nullable(),
    campaignId: z.number().int().nullable(),
    campaignName: z.string().nullable(),
    lineName: z.string().nullable().describe('The inbound line the call came in on; null for an outbound call'),
    teamId: z.number().int().nullable(),
    phoneDialled: z.string().nullable(),
    offeredAt: isoInstant.nullable(),
    startedAt: isoInstant,
    endedAt: isoInstant.nullable(),
    durationSeconds: z.number().int().nullable(),
    endReason: endReasonSchema.pick({ id: true, name: true, outcome: true }).nullable(),
    notes: z.string(),
    appointmentId: z.number().int().nullable(),
    signalling: callLineSchema
      .nullable()
      .describe("What the softphone's SIP signalling recorded of the call (null: no softphone, e.g. the tel: link)"),
  })
  .meta({ id: 'Call' });
export type Call = z.infer<typeof callSchema>;

export const shiftSchema = z
  .object({
    id: z.number().int(),
    state: shiftStateSchema,
    stateSince: isoInstant,
    openedAt: isoInstant,
    jobRole: z.object({
      id: z.number().int(),
      name: z.string(),
      /**
       * The work the job role takes. A role that takes no outbound work (inbound only) goes Ready
       * with no team and no campaign, and is never given a donor: it waits for inbound calls.
       */
      takes: z.object({ outbound: z.boolean(), inbound: z.boolean() }),
    }),
    team: z.object({ id: z.number().int(), name: z.string() }).nullable(),
    campaign: z.object({ id: z.number().int(), name: z.string() }).nullable(),
    /** systemKey: set when the system put the agent on this break (e.g. missed calls), null for the agent's own. */
    breakReason: z
      .object({ id: z.number().int(), name: z.string(), systemKey: z.enum(BREAK_REASON_SYSTEM_KEYS).nullable() })
      .nullable(),
    /** The offer being previewed (state previewing), or the one the open call came from (on_call). */
    offer: offerSchema.nullable(),
    /** The open call (state on_call). */
    call: callSchema.nullable(),
    /** getShift only: the inbound call ringing the agent now, or null. */
    incoming: incomingInboundCallSchema.nullable().optional(),
  })
  .meta({ id: 'Shift' });
export type Shift = z.infer<typeof shiftSchema>;

export const openShiftBodySchema = z.object({ jobRoleId: idSchema });
/**
 * Ready for Call: the team and campaign to work, both required for a job role that takes outbound
 * calls; a role that takes inbound calls only sends neither (Ready for inbound calls).
 */
export const setReadyBodySchema = z.object({ teamId: idSchema.optional(), campaignId: idSchema.optional() });
export const takeBreakBodySchema = z.object({ breakReasonId: idSchema });
/** Notes of calls, skips and call-backs: free text, never a card number. */
export const notesSchema = freeText(4000, 'Notes can be at most 4,000 characters');
/** Path parameters of an offer's actions. */
export const offerIdParamsSchema = z.object({ offerId: idSchema });

export const skipOfferBodySchema = z.object({
  skipReasonId: idSchema,
  notes: notesSchema.optional(),
});

export const bookAppointmentSchema = z.object({
  scheduledAt: isoInstant.describe('ISO 8601 instant of the call-back'),
  /** true: only this agent calls back (until the grace period passes); false: anyone in the campaign. */
  personal: z.boolean().default(true),
  notes: notesSchema.optional(),
});
export const endCallBodySchema = z.object({
  endReasonId: idSchema,
  notes: notesSchema.optional(),
  /** Required when the end reason's outcome is "appointment". */
  appointment: bookAppointmentSchema.optional(),
});
export type EndCallBody = z.infer<typeof endCallBodySchema>;

export const outOfDataReasonsSchema = z
  .object({
    total: z.number().int().describe('Donors in the campaign'),
    finished: z.number().int().describe('Finished: a final end reason or a removing skip'),
    maxAttempts: z.number().int().describe('Reached the maximum number of attempts'),
    heldByOthers: z.number().int().describe('Being offered to or called by other agents now'),
    waitingRetry: z.number().int().describe('Waiting for their retry time or a booked call-back'),
    outsideCallingHours: z.number().int().describe("Outside the campaign's calling hours in their local time"),
    doNotCall: z.number().int().describe('Do not call, deceased or suppressed'),
    noPhone: z.number().int().describe('No callable phone number'),
  })
  .meta({ id: 'OutOfDataReasons' });
export type OutOfDataReasons = z.infer<typeof outOfDataReasonsSchema>;

export const nextDonorResponseSchema = z
  .discriminatedUnion('status', [
    z.object({ status: z.literal('offered'), offer: offerSchema }),
    z.object({
      status: z.literal('out_of_data'),
      campaign: z.object({ id: z.number().int(), name: z.string() }),
      reasons: outOfDataReasonsSchema,
      nextAvailableAt: isoInstant.nullable().describe('Earliest time a donor becomes callable, if any will'),
      message: z.string().describe('The explanation in one or two sentences'),
    }),
  ])
  .meta({ id: 'NextDonor' });
export type NextDonorResponse = z.infer<typeof nextDonorResponseSchema>;

export const startCallResponseSchema = z.object({ call: callSchema }).meta({ id: 'StartCall' });
export const shiftOrNullSchema = shiftSchema.nullable();

export const callScopeSchema = z.enum(['shift', 'today', 'all']);
export type CallScope = z.infer<typeof callScopeSchema>;
export const listMyCallsQuerySchema = z.object({
  scope: callScopeSchema.default('today'),
  limit: boundedIntSchema(1, 500).default(100),
  timeZone: z.string().max(64).default('UTC').describe('IANA zone that defines "today"'),
});
export const callListSchema = z.array(callSchema);

export const appointmentStatusSchema = z.enum(['scheduled', 'done', 'missed', 'cancelled']);
export const appointmentSchema = z
  .object({
    id: z.number().int(),
    donorId: z.number().int(),
    donorName: z.string(),
    donorReference: z.string(),
    donorTimeZone: z.string(),
    campaignId: z.number().int(),
    campaignName: z.string(),
    scheduledAt: isoInstant,
    ownerAgentId: z.number().int().nullable(),
    ownerName: z.string().nullable(),
    notes: z.string(),
    status: appointmentStatusSchema,
    keptCallId: z.number().int().nullable(),
  })
  .meta({ id: 'Appointment' });
export type Appointment = z.infer<typeof appointmentSchema>;
export const appointmentListSchema = z.array(appointmentSchema);
