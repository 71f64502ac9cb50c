import { z } from 'zod';

export const skipOutcomes = ['requeue', 'remove'] as const;
export const endOutcomes = ['final', 'retry', 'appointment', 'do_not_call'] as const;
export const skipOutcomeSchema = z.enum(skipOutcomes);
export const endOutcomeSchema = z.enum(endOutcomes);
export type SkipOutcome = z.infer<typeof skipOutcomeSchema>;
export type EndOutcome = z.infer<typeof endOutcomeSchema>;

export const jobRoleSchema = z
  .object({ id: z.number().int(), name: z.string(), outbound: z.boolean(), inbound: z.boolean() })
  .meta({ id: 'JobRole' });
export const skipReasonSchema = z
  .object({ id: z.number().int(), name: z.string(), outcome: skipOutcomeSchema })
  .meta({ id: 'SkipReason' });
export const endReasonSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    outcome: endOutcomeSchema,
    retryMinutes: z.number().int().nullable(),
    countsAsContact: z.boolean(),
    countsAsSuccess: z.boolean(),
  })
  .meta({ id: 'EndReason' });
export const breakReasonSchema = z.object({ id: z.number().int(), name: z.string() }).meta({ id: 'BreakReason' });

export type JobRole = z.infer<typeof jobRoleSchema>;
export type SkipReason = z.infer<typeof skipReasonSchema>;
export type EndReason = z.infer<typeof endReasonSchema>;
export type BreakReason = z.infer<typeof breakReasonSchema>;

export const jobRoleListSchema = z.array(jobRoleSchema);
export const skipReasonListSchema = z.array(skipReasonSchema);
export const endReasonListSchema = z.array(endReasonSchema);
export const breakReasonListSchema = z.array(breakReasonSchema);
