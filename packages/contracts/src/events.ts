import { z } from 'zod';
import { shiftStateSchema } from './shift';

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
  state: z.union([shiftStateSchema, z.literal('signed_out')]),
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

export const engageEventSchema = z.discriminatedUnion('type', [shiftChangedEventSchema, appointmentDueEventSchema]);
export type EngageEvent = z.infer<typeof engageEventSchema>;
export type EngageEventType = EngageEvent['type'];

export const floorAgentSchema = z
  .object({
    agentId: z.number().int(),
    agentName: z.string(),
    shiftId: z.number().int(),
    jobRole: z.string(),
    team: z.object({ id: z.number().int(), name: z.string() }).nullable(),
    campaign: z.object({ id: z.number().int(), name: z.string() }).nullable(),
    state: shiftStateSchema,
    stateSince: z.iso.datetime({ offset: true }),
    breakReason: z.string().nullable(),
    donorName: z.string().nullable().describe('The donor on screen or on the call'),
    /** false when the agent's screen has stopped sending heartbeats */
    connected: z.boolean(),
  })
  .meta({ id: 'FloorAgent' });
export type FloorAgent = z.infer<typeof floorAgentSchema>;
export const floorSchema = z
  .object({ agents: z.array(floorAgentSchema), at: z.iso.datetime({ offset: true }) })
  .meta({ id: 'Floor' });
