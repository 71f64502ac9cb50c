import { z } from 'zod';

export const skipOutcomes = ['requeue', 'remove'] as const;
export const endOutcomes = ['final', 'retry', 'appointment', 'do_not_call'] as const;
export const skipOutcomeSchema = z.enum(skipOutcomes);
export const endOutcomeSchema = z.enum(endOutcomes);
export type SkipOutcome = z.infer<typeof skipOutcomeSchema>;
export type EndOutcome = z.infer<typeof endOutcomeSchema>;

/** The calls an end reason applies to: outbound calls, inbound calls, or both. */
export const endReasonDirections = ['both', 'outbound', 'inbound'] as const;
export const endReasonDirectionSchema = z.enum(endReasonDirections);
export type EndReasonDirection = z.infer<typeof endReasonDirectionSchema>;

/**
 * Whether an end reason may end a call of this direction: the one rule, shown by the agent's End
 * Call panel and the managers' correction, checked by updateCall; End Call's routine asks its SQL
 * twin engage_end_reason_fits (dialer-rules.sql), held to the same cases (END_REASON_FIT_CASES).
 */
export function endReasonFits(reason: EndReasonDirection, call: 'outbound' | 'inbound'): boolean {
  return reason === 'both' || reason === call;
}

/** What the server answers when a reason does not fit the call (End Call and updateCall alike). */
export function endReasonWrongDirectionMessage(reasonName: string, call: 'outbound' | 'inbound'): string {
  return `"${reasonName}" does not apply to ${call} calls. Choose an end reason for ${call} calls from the list.`;
}

/** Every case of endReasonFits, for the unit test and the SQL twin's test. */
export const END_REASON_FIT_CASES: ReadonlyArray<[EndReasonDirection, 'outbound' | 'inbound', boolean]> = [
  ['both', 'outbound', true],
  ['both', 'inbound', true],
  ['outbound', 'outbound', true],
  ['outbound', 'inbound', false],
  ['inbound', 'outbound', false],
  ['inbound', 'inbound', true],
];

/** The words for a reason's direction, in the settings and in a refusal. */
export const endReasonDirectionLabel: Record<EndReasonDirection, string> = {
  both: 'Outbound and inbound',
  outbound: 'Outbound calls only',
  inbound: 'Inbound calls only',
};

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
    direction: endReasonDirectionSchema.describe('The calls it may end: outbound, inbound or both'),
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
