import { z } from 'zod';
import { closedDatesSchema, endTimeSchema, startTimeSchema, weekdayHoursSchema } from './calling-hours';
import { passwordSchema, roleSchema } from './auth';
import { freeText, noCardNumber } from './free-text';
import { campaignPurposeSchema, campaignStatusSchema, type CampaignStatus } from './campaigns';
import {
  breakReasonSchema,
  endOutcomeSchema,
  endReasonDirectionSchema,
  endReasonSchema,
  jobRoleSchema,
  skipOutcomeSchema,
  skipReasonSchema,
} from './settings';
import { idListSchema, idSchema } from './ids';
import { outOfDataReasonsSchema } from './shift';

/*
 * Administration: users (admins), job roles and reasons (admins), teams and campaigns (managers).
 * One schema per request body and per answer; the server's OpenAPI document is made from them.
 */

const isoInstant = z.iso.datetime({ offset: true });
const id = z.number().int();
const idList = idListSchema(200);

/** Path parameters. */
export const userIdParamsSchema = z.object({ userId: idSchema });
export const itemIdParamsSchema = z.object({ id: idSchema });
export const teamIdParamsSchema = z.object({ teamId: idSchema });
export const teamMemberParamsSchema = z.object({ teamId: idSchema, userId: idSchema });
export const campaignIdParamsSchema = z.object({ campaignId: idSchema });
export const campaignListParamsSchema = z.object({ campaignId: idSchema, listId: idSchema });

const nameSchema = freeText(100).min(1, 'Enter a name');

// ---------------------------------------------------------------------------------------------
// Users
// ---------------------------------------------------------------------------------------------

const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'Enter a valid email address' }));

export const userTeamSchema = z.object({ id, name: z.string(), isLeader: z.boolean() });

/** A user account as administrators see it (never its password hash). */
export const adminUserSchema = z
  .object({
    id,
    email: z.string(),
    name: z.string(),
    role: roleSchema,
    disabled: z.boolean(),
    disabledAt: isoInstant.nullable(),
    createdAt: isoInstant,
    teams: z
      .array(userTeamSchema)
      .describe('Teams the user belongs to, and whether they lead them (for a manager: of the teams they lead)'),
    addableToYourTeams: z
      .boolean()
      .describe(
        'You may add this user to the teams you lead: an admin anyone; a manager someone in no team, already in one of their teams, or a manager or admin',
      ),
  })
  .meta({ id: 'AdminUser' });
export type AdminUser = z.infer<typeof adminUserSchema>;
export const adminUserListSchema = z.object({ users: z.array(adminUserSchema) }).meta({ id: 'AdminUserList' });

export const createUserBodySchema = z.object({
  email: emailSchema,
  name: nameSchema,
  role: roleSchema,
  password: passwordSchema,
  teamIds: idList.optional().describe('Teams the user joins (as a member)'),
});
export type CreateUserBody = z.infer<typeof createUserBodySchema>;

export const updateUserBodySchema = z.object({
  email: emailSchema.optional(),
  name: nameSchema.optional(),
  role: roleSchema.optional(),
  teamIds: idList.optional().describe('The teams the user belongs to, all of them (leaders keep their flag)'),
});
export type UpdateUserBody = z.infer<typeof updateUserBodySchema>;

export const resetPasswordBodySchema = z.object({ password: passwordSchema });
export type ResetPasswordBody = z.infer<typeof resetPasswordBodySchema>;

// ---------------------------------------------------------------------------------------------
// Job roles and reasons
// ---------------------------------------------------------------------------------------------

const retirement = {
  position: z.number().int().describe('Lower comes first in every list'),
  retired: z.boolean().describe('Retired: no longer offered, still shown on old records'),
  retiredAt: isoInstant.nullable(),
};

export const adminJobRoleSchema = jobRoleSchema.extend(retirement).meta({ id: 'AdminJobRole' });
export const adminSkipReasonSchema = skipReasonSchema.extend(retirement).meta({ id: 'AdminSkipReason' });
export const adminEndReasonSchema = endReasonSchema.extend(retirement).meta({ id: 'AdminEndReason' });
export const adminBreakReasonSchema = breakReasonSchema.extend(retirement).meta({ id: 'AdminBreakReason' });
export type AdminJobRole = z.infer<typeof adminJobRoleSchema>;
export type AdminSkipReason = z.infer<typeof adminSkipReasonSchema>;
export type AdminEndReason = z.infer<typeof adminEndReasonSchema>;
export type AdminBreakReason = z.infer<typeof adminBreakReasonSchema>;

export const adminJobRoleListSchema = z.object({ items: z.array(adminJobRoleSchema) }).meta({ id: 'AdminJobRoleList' });
export const adminSkipReasonListSchema = z
  .object({ items: z.array(adminSkipReasonSchema) })
  .meta({ id: 'AdminSkipReasonList' });
export const adminEndReasonListSchema = z
  .object({ items: z.array(adminEndReasonSchema) })
  .meta({ id: 'AdminEndReasonList' });
export const adminBreakReasonListSchema = z
  .object({ items: z.array(adminBreakReasonSchema) })
  .meta({ id: 'AdminBreakReasonList' });

export const createJobRoleBodySchema = z.object({
  name: nameSchema,
  outbound: z.boolean().describe('Shifts under this role call donors from campaigns'),
  inbound: z.boolean().describe('Shifts under this role take calls from donors'),
});
export const updateJobRoleBodySchema = createJobRoleBodySchema.partial();
export type CreateJobRoleBody = z.infer<typeof createJobRoleBodySchema>;
export type UpdateJobRoleBody = z.infer<typeof updateJobRoleBodySchema>;

export const createSkipReasonBodySchema = z.object({ name: nameSchema, outcome: skipOutcomeSchema });
export const updateSkipReasonBodySchema = createSkipReasonBodySchema.partial();
export type CreateSkipReasonBody = z.infer<typeof createSkipReasonBodySchema>;
export type UpdateSkipReasonBody = z.infer<typeof updateSkipReasonBodySchema>;

const retryMinutesSchema = z
  .number()
  .int('Whole minutes')
  .positive('More than 0 minutes')
  .max(525_600, 'At most a year (525,600 minutes)')
  .nullable()
  .describe('Required (> 0) when the outcome is "retry"; ignored otherwise');
export const createEndReasonBodySchema = z.object({
  name: nameSchema,
  outcome: endOutcomeSchema,
  retryMinutes: retryMinutesSchema.optional(),
  countsAsContact: z.boolean().default(false),
  countsAsSuccess: z.boolean().default(false),
  direction: endReasonDirectionSchema.default('both').describe('The calls it may end: outbound, inbound or both'),
});
export const updateEndReasonBodySchema = z.object({
  name: nameSchema.optional(),
  outcome: endOutcomeSchema.optional(),
  retryMinutes: retryMinutesSchema.optional(),
  countsAsContact: z.boolean().optional(),
  countsAsSuccess: z.boolean().optional(),
  direction: endReasonDirectionSchema.optional(),
});
export type CreateEndReasonBody = z.infer<typeof createEndReasonBodySchema>;
export type UpdateEndReasonBody = z.infer<typeof updateEndReasonBodySchema>;

export const createBreakReasonBodySchema = z.object({ name: nameSchema });
export const updateBreakReasonBodySchema = createBreakReasonBodySchema.partial();
export type CreateBreakReasonBody = z.infer<typeof createBreakReasonBodySchema>;
export type UpdateBreakReasonBody = z.infer<typeof updateBreakReasonBodySchema>;

export const reorderBodySchema = z.object({
  ids: idListSchema(500).min(1).describe('Ids in their new order; ids left out keep their order after the ones given'),
});
export type ReorderBody = z.infer<typeof reorderBodySchema>;

// ---------------------------------------------------------------------------------------------
// Teams
// ---------------------------------------------------------------------------------------------

export const teamMemberSchema = z
  .object({
    userId: id,
    name: z.string(),
    email: z.string(),
    role: roleSchema,
    isLeader: z.boolean(),
    disabled: z.boolean(),
  })
  .meta({ id: 'TeamMember' });
export type TeamMember = z.infer<typeof teamMemberSchema>;

export const teamSchema = z
  .object({
    id,
    name: z.string(),
    createdAt: isoInstant,
    members: z.array(teamMemberSchema).describe('Leaders first, then by name'),
    campaigns: z.array(z.object({ id, name: z.string(), status: campaignStatusSchema })),
  })
  .meta({ id: 'Team' });
export type Team = z.infer<typeof teamSchema>;
export const teamListSchema = z.object({ teams: z.array(teamSchema) }).meta({ id: 'TeamList' });

export const createTeamBodySchema = z.object({
  name: nameSchema,
  memberIds: idList.optional().describe('Users who join the team as members'),
});
export type CreateTeamBody = z.infer<typeof createTeamBodySchema>;
export const updateTeamBodySchema = z.object({ name: nameSchema });
export type UpdateTeamBody = z.infer<typeof updateTeamBodySchema>;
export const addTeamMemberBodySchema = z.object({ userId: idSchema, isLeader: z.boolean().default(false) });
export type AddTeamMemberBody = z.infer<typeof addTeamMemberBodySchema>;
export const setTeamLeaderBodySchema = z.object({ isLeader: z.boolean() });

// ---------------------------------------------------------------------------------------------
// Campaigns
// ---------------------------------------------------------------------------------------------

/** The status changes a campaign allows; anything else is refused with invalid_transition. */
export const campaignTransitions: Record<CampaignStatus, readonly CampaignStatus[]> = {
  draft: ['active', 'finished'],
  active: ['paused', 'finished'],
  paused: ['active', 'finished'],
  finished: [],
};

const dateSchema = z.iso.date('Use a date YYYY-MM-DD').nullable();

const campaignFields = {
  name: nameSchema,
  purpose: campaignPurposeSchema,
  startsOn: dateSchema.describe('First calling day (inclusive); null: from now'),
  endsOn: dateSchema.describe('Last calling day (inclusive); null: open-ended'),
  callingHoursStart: startTimeSchema.describe(
    "HH:MM in the donor's local time: sets every weekday's hours (with callingHoursEnd) unless weekdayHours is sent",
  ),
  callingHoursEnd: endTimeSchema,
  weekdayHours: weekdayHoursSchema,
  closedDates: closedDatesSchema,
  maxAttempts: z.number().int('A whole number of attempts').min(1, 'At least 1').max(100, 'At most 100'),
  holdSeconds: z
    .number()
    .int('Whole seconds')
    .min(30, 'At least 30 seconds')
    .max(3600, 'At most 3,600 seconds')
    .describe('How long an offered donor stays held for the agent before going back'),
  appointmentGraceMinutes: z
    .number()
    .int('Whole minutes')
    .min(0, 'At least 0 minutes')
    .max(1440, 'At most 1,440 minutes')
    .describe('How long a personal call-back waits for its agent before anyone may take it'),
  script: z
    .string()
    .max(20_000, 'At most 20,000 characters')
    .refine(...noCardNumber),
};

export const createCampaignBodySchema = z.object({
  name: campaignFields.name,
  purpose: campaignFields.purpose,
  status: campaignStatusSchema.optional().describe('A new campaign is a draft; activate it once a list is connected'),
  startsOn: campaignFields.startsOn.optional(),
  endsOn: campaignFields.endsOn.optional(),
  callingHoursStart: campaignFields.callingHoursStart.default('09:00'),
  callingHoursEnd: campaignFields.callingHoursEnd.default('21:00'),
  weekdayHours: campaignFields.weekdayHours.optional(),
  closedDates: campaignFields.closedDates.default([]),
  maxAttempts: campaignFields.maxAttempts.default(5),
  holdSeconds: campaignFields.holdSeconds.default(300),
  appointmentGraceMinutes: campaignFields.appointmentGraceMinutes.default(30),
  script: campaignFields.script.default(''),
  teamIds: idList.default([]).describe('Teams that work the campaign; a manager attaches teams they lead'),
});
export type CreateCampaignBody = z.input<typeof createCampaignBodySchema>;

export const updateCampaignBodySchema = z.object({
  name: campaignFields.name.optional(),
  purpose: campaignFields.purpose.optional(),
  status: campaignStatusSchema.optional().describe('draft→active, active→paused, paused→active, →finished'),
  startsOn: campaignFields.startsOn.optional(),
  endsOn: campaignFields.endsOn.optional(),
  callingHoursStart: campaignFields.callingHoursStart.optional(),
  callingHoursEnd: campaignFields.callingHoursEnd.optional(),
  weekdayHours: campaignFields.weekdayHours.optional(),
  closedDates: campaignFields.closedDates.optional(),
  maxAttempts: campaignFields.maxAttempts.optional(),
  holdSeconds: campaignFields.holdSeconds.optional(),
  appointmentGraceMinutes: campaignFields.appointmentGraceMinutes.optional(),
  script: campaignFields.script.optional(),
  teamIds: idList.optional().describe('The teams that work the campaign, all of them'),
});
export type UpdateCampaignBody = z.infer<typeof updateCampaignBodySchema>;

export const setCampaignTeamsBodySchema = z.object({ teamIds: idList });
export type SetCampaignTeamsBody = z.infer<typeof setCampaignTeamsBodySchema>;

const prioritySchema = z
  .number()
  .int()
  .min(1, 'At least 1')
  .max(1000, 'At most 1,000')
  .describe('Lower is called first');
export const connectListBodySchema = z.object({ listId: idSchema, priority: prioritySchema.default(100) });
export type ConnectListBody = z.input<typeof connectListBodySchema>;
export const setListPriorityBodySchema = z.object({ priority: prioritySchema });

export const campaignTeamSchema = z.object({
  id,
  name: z.string(),
  managed: z.boolean().describe('The caller leads this team (or is an admin): they may attach or detach it'),
});
export const campaignListSchema = z.object({
  listId: id,
  name: z.string(),
  priority: z.number().int(),
  donorCount: z.number().int(),
});

export const campaignSchema = z
  .object({
    id,
    name: z.string(),
    purpose: campaignPurposeSchema,
    status: campaignStatusSchema,
    startsOn: z.string().nullable(),
    endsOn: z.string().nullable(),
    callingHoursStart: z.string().describe('Earliest start over the weekdays (HH:MM, donor time)'),
    callingHoursEnd: z.string().describe('Latest end over the weekdays (HH:MM, donor time; 24:00 is midnight)'),
    weekdayHours: weekdayHoursSchema,
    closedDates: z.array(z.string()),
    legalWarnings: z
      .array(z.string())
      .describe(
        "Days whose hours go beyond the organisation's legal calling window: the dialer clips them to it, each says how",
      ),
    maxAttempts: z.number().int(),
    holdSeconds: z.number().int(),
    appointmentGraceMinutes: z.number().int(),
    script: z.string(),
    teams: z.array(campaignTeamSchema),
    lists: z.array(campaignListSchema).describe('Connected lists, by priority'),
    allowedTransitions: z.array(campaignStatusSchema).describe('The statuses it may move to now'),
    agentsCalling: z
      .number()
      .int()
      .describe(
        'Agents whose open shift works this campaign now (they get Out of Data at their next donor if it is paused)',
      ),
    createdAt: isoInstant,
    updatedAt: isoInstant,
  })
  .meta({ id: 'Campaign' });
export type Campaign = z.infer<typeof campaignSchema>;

export const campaignSummarySchema = z
  .object({
    id,
    name: z.string(),
    purpose: campaignPurposeSchema,
    status: campaignStatusSchema,
    startsOn: z.string().nullable(),
    endsOn: z.string().nullable(),
    teams: z.array(z.object({ id, name: z.string() })),
    listCount: z.number().int(),
    donorCount: z.number().int().describe("Donors in the campaign's queue"),
    updatedAt: isoInstant,
  })
  .meta({ id: 'CampaignSummary' });
export type CampaignSummary = z.infer<typeof campaignSummarySchema>;
export const campaignSummaryListSchema = z
  .object({ campaigns: z.array(campaignSummarySchema) })
  .meta({ id: 'CampaignSummaryList' });
export const listCampaignsQuerySchema = z.object({ status: campaignStatusSchema.optional() });

export const campaignProgressSchema = outOfDataReasonsSchema
  .extend({
    callableNow: z.number().int().describe('Donors an agent could be offered right now'),
    outOfData: z.boolean().describe('An agent asking now would get Out of Data'),
    nextAvailableAt: isoInstant.nullable().describe('When the next donor becomes callable, if any will'),
    at: isoInstant,
  })
  .meta({ id: 'CampaignProgress' });
export type CampaignProgress = z.infer<typeof campaignProgressSchema>;
