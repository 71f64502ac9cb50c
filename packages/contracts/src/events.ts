import { z } from 'zod';
import { idSchema } from './ids';
import { inboundQueueSchema } from './inbound';
import { importStatusSchema } from './lists';
import { callDirectionSchema } from './manager-calls';
import { shiftStateSchema, shiftStates } from './shift';

/**
 * What a manager sees of a shift that works for a team they do not lead: only that the agent is
 * busy elsewhere (no team, campaign, donor, state or time in it).
 */
export const BUSY_ELSEWHERE = 'elsewhere' as const;

/**
 * Real-time events: published by services inside their transaction (PostgreSQL NOTIFY, delivered
 * on commit) to every app instance, and from there to browsers over Server-Sent Events
 * (GET /api/events). The web app invalidates the matching queries; it never patches state.
 */
export const shiftChangedEventSchema = z.object({
  type: z.literal('shift.changed'),
  agentId: z.number().int(),
  shiftId: z.number().int(),
  teamId: z.number().int().nullable(),
  campaignId: z.number().int().nullable(),
  state: z
    .union([shiftStateSchema, z.literal('signed_out'), z.literal(BUSY_ELSEWHERE)])
    .describe('"elsewhere": working for a team you do not lead (its team and campaign are then null)'),
  at: z.string(),
});

/** A call-back's time has come: its owner gets a reminder popup. */
export const appointmentDueEventSchema = z.object({
  type: z.literal('appointment.due'),
  appointmentId: z.number().int(),
  agentId: z.number().int(),
  teamId: z.null(),
  campaignId: z.number().int(),
  donorId: z.number().int(),
  donorName: z.string(),
  scheduledAt: z.string(),
});

/**
 * An import was uploaded, started, moved on by a batch, finished, failed, expired or was deleted
 * (a trigger on imports, migration 0018): the list's imports table and the import's progress
 * re-read it. Managers and administrators get it (every manager sees every list's imports).
 */
export const importChangedEventSchema = z.object({
  type: z.literal('import.changed'),
  importId: z.number().int(),
  listId: z.number().int(),
  status: z.union([importStatusSchema, z.literal('deleted')]),
  processedRows: z.number().int(),
});

/**
 * A call on an inbound line arrived, or moved on (rung, answered, abandoned, ended, overflowed):
 * the floor re-reads the line's queue (a trigger on inbound_calls, migration 0023). Managers of
 * the teams answering the line and administrators get it; `teamIds` are those teams.
 */
export const inboundChangedEventSchema = z.object({
  type: z.literal('inbound.changed'),
  lineId: z.number().int(),
  teamIds: z.array(z.number().int()),
});

export const engageEventSchema = z.discriminatedUnion('type', [
  shiftChangedEventSchema,
  appointmentDueEventSchema,
  importChangedEventSchema,
  inboundChangedEventSchema,
]);
export type EngageEvent = z.infer<typeof engageEventSchema>;
export type EngageEventType = EngageEvent['type'];

/** A state on the live floor: the shift's, or "elsewhere" for work for a team the viewer does not lead. */
export const floorStates = [...shiftStates, BUSY_ELSEWHERE] as const;
export const floorStateSchema = z.enum(floorStates);
export type FloorState = z.infer<typeof floorStateSchema>;

const named = z.object({ id: z.number().int(), name: z.string() });

export const floorAgentSchema = z
  .object({
    agentId: z.number().int(),
    agentName: z.string(),
    shiftId: z.number().int(),
    jobRole: z.string(),
    team: z.object({ id: z.number().int(), name: z.string() }).nullable(),
    campaign: z.object({ id: z.number().int(), name: z.string() }).nullable(),
    state: floorStateSchema.describe(
      '"elsewhere": the agent works for a team you do not lead; its team, campaign, donor and times are not shown',
    ),
    stateSince: z.iso.datetime({ offset: true }).nullable().describe('null when the state is "elsewhere"'),
    breakReason: z.string().nullable(),
    donorName: z.string().nullable().describe('The donor on screen or on the call'),
    ringing: z
      .object({
        inboundCallId: z.number().int(),
        line: named,
        since: z.iso.datetime({ offset: true }).describe('When this ring began'),
      })
      .nullable()
      .describe('An inbound call ringing the agent now (they may be Ready or previewing meanwhile); null otherwise'),
    call: z
      .object({ direction: callDirectionSchema, line: named.nullable().describe('The inbound line; null outbound') })
      .nullable()
      .describe('The call the agent is on (state on_call): outbound, or inbound on a line; null otherwise'),
    /** false when the agent's screen has stopped sending heartbeats */
    connected: z.boolean(),
    disconnectedSince: z.iso
      .datetime({ offset: true })
      .nullable()
      .describe("When the agent's screen stopped answering (its heartbeat lease ran out); null while connected"),
  })
  .meta({ id: 'FloorAgent' });
export type FloorAgent = z.infer<typeof floorAgentSchema>;

/** One inbound line's queue on the floor: listInboundQueue's line without the callers' numbers. */
export const floorLineSchema = inboundQueueSchema.shape.lines.element.omit({ calls: true }).meta({ id: 'FloorLine' });
export type FloorLine = z.infer<typeof floorLineSchema>;

export const floorSchema = z
  .object({
    agents: z.array(floorAgentSchema),
    lines: z
      .array(floorLineSchema)
      .describe("Each inbound line's queue (lines answered by teams you lead; admins: every line)"),
    at: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'Floor' });

/** A manager's action on an agent's shift from the floor (endAgentShift, endAgentCall, releaseAgentDonor). */
export const floorShiftParamsSchema = z.object({ shiftId: idSchema });
