import { z } from 'zod';
import { freeText } from './free-text';
import { idSchema } from './ids';
import { loggedInboundCallSchema } from './inbound';
import { donorSummarySchema } from './lists';
import { callSchema } from './shift';

/**
 * The agent's side of an inbound call once it is on their screen (issue 11, item 3): the call
 * logged from a desk phone, and the caller panel of an inbound call whose caller is not linked to
 * one donor yet (several matches, a new caller, a withheld number).
 */

export const loggedInboundCallStartedSchema = loggedInboundCallSchema
  .extend({
    call: callSchema.describe(
      'The call now open on your shift: linked to the donor when exactly one has the number, else choose one',
    ),
  })
  .meta({ id: 'LoggedInboundCallStarted' });
export type LoggedInboundCallStarted = z.infer<typeof loggedInboundCallStartedSchema>;

export const callerDonorsQuerySchema = z.object({
  q: z
    .string()
    .max(200, 'At most 200 characters')
    .optional()
    .describe("A name, reference, phone or email; left out: the donors whose phone is the caller's number"),
});

export const callerDonorsSchema = z
  .object({
    donors: z.array(donorSummarySchema).describe('By name, reference matches first; at most 20'),
    more: z.boolean().describe('More donors match than are listed: search more precisely'),
  })
  .meta({ id: 'CallerDonors' });
export type CallerDonors = z.infer<typeof callerDonorsSchema>;

export const linkCallDonorBodySchema = z.object({
  donorId: idSchema.describe('The donor the caller is'),
});
export type LinkCallDonorBody = z.infer<typeof linkCallDonorBodySchema>;

export const createCallDonorBodySchema = z.object({
  firstName: freeText(100).default(''),
  lastName: freeText(100).default(''),
  phone: z
    .string()
    .max(40, 'At most 40 characters')
    .nullable()
    .optional()
    .describe("In any format; without +country code it is read in the line's country. Usually the caller's number"),
  email: z.string().max(254, 'At most 254 characters').nullable().optional(),
});
export type CreateCallDonorBody = z.infer<typeof createCallDonorBodySchema>;

export const callDonorCreatedSchema = z
  .object({ call: callSchema, donor: donorSummarySchema })
  .meta({ id: 'CallDonorCreated' });
export type CallDonorCreated = z.infer<typeof callDonorCreatedSchema>;

export const myInboundLinesSchema = z
  .object({
    lines: z
      .array(z.object({ id: z.number().int(), name: z.string(), number: z.string().describe('E.164') }))
      .describe('The lines answered by a team you are in, by name'),
  })
  .meta({ id: 'MyInboundLines' });
export type MyInboundLines = z.infer<typeof myInboundLinesSchema>;
