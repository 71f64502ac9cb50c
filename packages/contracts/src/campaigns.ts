import { z } from 'zod';
import { weekdayHoursSchema } from './calling-hours';

export const campaignPurposes = [
  'sponsorship_follow_up',
  'failed_payments',
  'new_donors',
  'reactivation',
  'thank_you',
  'inbound_line',
] as const;
export const campaignPurposeSchema = z.enum(campaignPurposes, { error: 'Choose a purpose' });
export type CampaignPurpose = z.infer<typeof campaignPurposeSchema>;

export const campaignStatuses = ['draft', 'active', 'paused', 'finished'] as const;
export const campaignStatusSchema = z.enum(campaignStatuses);
export type CampaignStatus = z.infer<typeof campaignStatusSchema>;

/** A team and campaign pair an agent may work (Ready for Call). */
export const myCampaignSchema = z
  .object({
    teamId: z.number().int(),
    teamName: z.string(),
    campaignId: z.number().int(),
    campaignName: z.string(),
    purpose: campaignPurposeSchema,
    callingHoursStart: z.string().describe('HH:MM, donor local time'),
    callingHoursEnd: z.string().describe('HH:MM, donor local time; 24:00 is midnight'),
    weekdayHours: weekdayHoursSchema,
    closedDates: z.array(z.string()).describe("Dates (YYYY-MM-DD, the donor's calendar) without calls"),
  })
  .meta({ id: 'MyCampaign' });
export type MyCampaign = z.infer<typeof myCampaignSchema>;
export const myCampaignListSchema = z.array(myCampaignSchema);
