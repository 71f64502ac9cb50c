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

/**
 * Whether a campaign needs a donor list to be activated and worked. An inbound line's campaign
 * ("General enquiries") does not: its donors are the call-backs its lines book (inbound-callback.ts
 * queues each one). The one rule: activating a campaign (campaigns.service) asks it; its SQL twin
 * engage_campaign_needs_lists (dialer-rules.sql, inside engage_campaign_unworkable: Ready for Call,
 * Next donor, the agent's campaign drop-down) is held to it for every purpose by dialer-rules.int.test.ts.
 */
export function campaignNeedsLists(purpose: CampaignPurpose): boolean {
  return purpose !== 'inbound_line';
}

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
