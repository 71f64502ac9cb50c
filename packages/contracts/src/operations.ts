import { z } from 'zod';
import {
  addTeamMemberBodySchema,
  adminUserListSchema,
  adminBreakReasonListSchema,
  adminBreakReasonSchema,
  adminEndReasonListSchema,
  adminEndReasonSchema,
  adminJobRoleListSchema,
  adminJobRoleSchema,
  adminSkipReasonListSchema,
  adminSkipReasonSchema,
  adminUserSchema,
  createBreakReasonBodySchema,
  createEndReasonBodySchema,
  createJobRoleBodySchema,
  createSkipReasonBodySchema,
  itemIdParamsSchema,
  reorderBodySchema,
  updateBreakReasonBodySchema,
  updateEndReasonBodySchema,
  updateJobRoleBodySchema,
  updateSkipReasonBodySchema,
  campaignIdParamsSchema,
  campaignListParamsSchema,
  campaignProgressSchema,
  campaignSchema,
  campaignSummaryListSchema,
  connectListBodySchema,
  createCampaignBodySchema,
  createTeamBodySchema,
  createUserBodySchema,
  resetPasswordBodySchema,
  listCampaignsQuerySchema,
  setCampaignTeamsBodySchema,
  setListPriorityBodySchema,
  setTeamLeaderBodySchema,
  teamIdParamsSchema,
  teamListSchema,
  teamMemberParamsSchema,
  teamSchema,
  updateCampaignBodySchema,
  updateTeamBodySchema,
  updateUserBodySchema,
  userIdParamsSchema,
} from './admin';
import { changePasswordBodySchema, loginBodySchema, meResponseSchema, sessionResponseSchema } from './auth';
import { myCampaignListSchema } from './campaigns';
import {
  createInboundLineBodySchema,
  createPhoneSystemTokenBodySchema,
  createdPhoneSystemTokenSchema,
  inboundCallEventAnswerSchema,
  inboundCallEventBodySchema,
  inboundCallIdParamsSchema,
  inboundLineIdParamsSchema,
  inboundLineListSchema,
  inboundLineSchema,
  offerInboundCallAnswerSchema,
  offerInboundCallBodySchema,
  phoneSystemTokenIdParamsSchema,
  phoneSystemTokenListSchema,
  phoneSystemTokenSchema,
  updateInboundLineBodySchema,
  inboundQueueSchema,
  logInboundCallBodySchema,
} from './inbound';
import {
  callDonorCreatedSchema,
  callerDonorsQuerySchema,
  callerDonorsSchema,
  createCallDonorBodySchema,
  linkCallDonorBodySchema,
  loggedInboundCallStartedSchema,
  myInboundLinesSchema,
} from './inbound-agent';
import { callLineSchema, callSignalBodySchema, softphoneCredentialsSchema, telephonySchema } from './telephony';
import { donationSchema, recordDonationBodySchema } from './donors';
import { floorSchema, floorShiftParamsSchema } from './events';
import {
  createListBodySchema,
  createListFromSearchBodySchema,
  donorDetailsSchema,
  donorIdParamsSchema,
  donorPageSchema,
  donorSearchQuerySchema,
  importIdParamsSchema,
  importListSchema,
  importSchema,
  listDetailsSchema,
  listIdParamsSchema,
  listListSchema,
  listMemberPageSchema,
  listMembersQuerySchema,
  startImportBodySchema,
  updateDonorBodySchema,
  updateListBodySchema,
  uploadedImportSchema,
} from './lists';
import {
  appointmentIdParamsSchema,
  appointmentOwnerOptionsSchema,
  appointmentPageSchema,
  auditTrailQuerySchema,
  auditTrailSchema,
  callIdParamsSchema,
  createAppointmentBodySchema,
  callPageSchema,
  correctedCallSchema,
  listAppointmentsQuerySchema,
  listCallsQuerySchema,
  managerAppointmentSchema,
  updateAppointmentBodySchema,
  updateCallBodySchema,
  inboundCallHistorySchema,
  inboundCallPageSchema,
  listInboundCallsQuerySchema,
} from './manager-calls';
import { breakReasonListSchema, endReasonListSchema, jobRoleListSchema, skipReasonListSchema } from './settings';
import {
  appointmentListSchema,
  callListSchema,
  callSchema,
  endCallBodySchema,
  listMyCallsQuerySchema,
  nextDonorResponseSchema,
  offerIdParamsSchema,
  openShiftBodySchema,
  setReadyBodySchema,
  shiftOrNullSchema,
  shiftSchema,
  skipOfferBodySchema,
  startCallResponseSchema,
  takeBreakBodySchema,
} from './shift';
import { organisationSettingsSchema, updateOrganisationSettingsBodySchema } from './organisation';

/*
 * The API's operations, by the operationId the server's OpenAPI document gives them: method, path
 * template (`:name` for a path parameter) and the schemas of params, query, body and answer. The web
 * app calls an operation by its name (`apiCall` in apps/web/src/lib/api.ts), so a path is never typed
 * by hand and a body is checked against its schema by the compiler. The server still declares its
 * routes itself; `operations.int.test.ts` (apps/server) holds every entry here to the route of the
 * same operationId in the OpenAPI document (method, path), so the two cannot drift apart.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Anything with a zod-like `parse`. */
export interface Parser<T> {
  parse(data: unknown): T;
}

export interface Operation {
  method: HttpMethod;
  path: `/api/${string}`;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /**
   * A file upload: the body is multipart/form-data with the file in the part of this name, not
   * JSON. `apiCall` does not take such an operation (its input type is `never`); the web's one
   * uploader sends it (uploadImport in features/lists), reporting the upload's progress.
   */
  upload?: string;
  /** The 2xx answer; absent when the answer is 204 No Content. */
  response?: z.ZodType;
}

/** Keeps each entry's literal types (method, path, schemas) while checking its shape. */
const op = <const O extends Operation>(o: O): O => o;

/** The body of an action that takes none (the server accepts `{}`). */
const emptyBody = z.object({}).optional();

interface SettingsSchemas {
  item: z.ZodType;
  list: z.ZodType;
  create: z.ZodType;
  update: z.ZodType;
}
type SettingsOperations<P extends `/api/${string}`, N extends string, S extends SettingsSchemas> = Record<
  `listAll${N}s`,
  { method: 'GET'; path: P; response: S['list'] }
> &
  Record<`create${N}`, { method: 'POST'; path: P; body: S['create']; response: S['item'] }> &
  Record<
    `update${N}`,
    { method: 'PATCH'; path: `${P}/:id`; params: typeof itemIdParamsSchema; body: S['update']; response: S['item'] }
  > &
  Record<`reorder${N}s`, { method: 'PUT'; path: `${P}/order`; body: typeof reorderBodySchema; response: S['list'] }> &
  Record<
    `retire${N}` | `restore${N}`,
    {
      method: 'POST';
      path: `${P}/:id/${'retire' | 'restore'}`;
      params: typeof itemIdParamsSchema;
      body: typeof emptyBody;
      response: S['item'];
    }
  >;

/** The six operations of one settings list (job roles, skip, end and break reasons), as the server names them. */
function settingsOperations<const P extends `/api/${string}`, const N extends string, S extends SettingsSchemas>(
  path: P,
  name: N,
  s: S,
): SettingsOperations<P, N, S> {
  const params = itemIdParamsSchema;
  return {
    [`listAll${name}s`]: { method: 'GET', path, response: s.list },
    [`create${name}`]: { method: 'POST', path, body: s.create, response: s.item },
    [`update${name}`]: { method: 'PATCH', path: `${path}/:id`, params, body: s.update, response: s.item },
    [`reorder${name}s`]: { method: 'PUT', path: `${path}/order`, body: reorderBodySchema, response: s.list },
    [`retire${name}`]: { method: 'POST', path: `${path}/:id/retire`, params, body: emptyBody, response: s.item },
    [`restore${name}`]: { method: 'POST', path: `${path}/:id/restore`, params, body: emptyBody, response: s.item },
  } as SettingsOperations<P, N, S>;
}

export const apiOperations = {
  // auth
  login: op({ method: 'POST', path: '/api/auth/login', body: loginBodySchema, response: meResponseSchema }),
  getMe: op({ method: 'GET', path: '/api/auth/me', response: meResponseSchema }),
  getSession: op({ method: 'GET', path: '/api/auth/session', response: sessionResponseSchema }),
  changePassword: op({
    method: 'POST',
    path: '/api/auth/password',
    body: changePasswordBodySchema,
    response: meResponseSchema,
  }),
  logout: op({ method: 'POST', path: '/api/auth/logout' }),

  // users (admins)
  listUsers: op({ method: 'GET', path: '/api/users', response: adminUserListSchema }),
  createUser: op({ method: 'POST', path: '/api/users', body: createUserBodySchema, response: adminUserSchema }),
  updateUser: op({
    method: 'PATCH',
    path: '/api/users/:userId',
    params: userIdParamsSchema,
    body: updateUserBodySchema,
    response: adminUserSchema,
  }),
  disableUser: op({
    method: 'POST',
    path: '/api/users/:userId/disable',
    params: userIdParamsSchema,
    response: adminUserSchema,
  }),
  enableUser: op({
    method: 'POST',
    path: '/api/users/:userId/enable',
    params: userIdParamsSchema,
    response: adminUserSchema,
  }),
  resetPassword: op({
    method: 'POST',
    path: '/api/users/:userId/password',
    params: userIdParamsSchema,
    body: resetPasswordBodySchema,
  }),

  // teams (managers)
  listTeams: op({ method: 'GET', path: '/api/teams', response: teamListSchema }),
  createTeam: op({ method: 'POST', path: '/api/teams', body: createTeamBodySchema, response: teamSchema }),
  getTeam: op({ method: 'GET', path: '/api/teams/:teamId', params: teamIdParamsSchema, response: teamSchema }),
  updateTeam: op({
    method: 'PATCH',
    path: '/api/teams/:teamId',
    params: teamIdParamsSchema,
    body: updateTeamBodySchema,
    response: teamSchema,
  }),
  addTeamMember: op({
    method: 'POST',
    path: '/api/teams/:teamId/members',
    params: teamIdParamsSchema,
    body: addTeamMemberBodySchema,
    response: teamSchema,
  }),
  removeTeamMember: op({
    method: 'DELETE',
    path: '/api/teams/:teamId/members/:userId',
    params: teamMemberParamsSchema,
    response: teamSchema,
  }),
  setTeamLeader: op({
    method: 'PUT',
    path: '/api/teams/:teamId/members/:userId/leader',
    params: teamMemberParamsSchema,
    body: setTeamLeaderBodySchema,
    response: teamSchema,
  }),

  // the organisation's settings
  getOrganisationSettings: op({
    method: 'GET',
    path: '/api/settings/organisation',
    response: organisationSettingsSchema,
  }),
  updateOrganisationSettings: op({
    method: 'PATCH',
    path: '/api/settings/organisation',
    body: updateOrganisationSettingsBodySchema,
    response: organisationSettingsSchema,
  }),

  // job roles and reasons (admins)
  ...settingsOperations('/api/settings/job-roles', 'JobRole', {
    item: adminJobRoleSchema,
    list: adminJobRoleListSchema,
    create: createJobRoleBodySchema,
    update: updateJobRoleBodySchema,
  }),
  ...settingsOperations('/api/settings/skip-reasons', 'SkipReason', {
    item: adminSkipReasonSchema,
    list: adminSkipReasonListSchema,
    create: createSkipReasonBodySchema,
    update: updateSkipReasonBodySchema,
  }),
  ...settingsOperations('/api/settings/end-reasons', 'EndReason', {
    item: adminEndReasonSchema,
    list: adminEndReasonListSchema,
    create: createEndReasonBodySchema,
    update: updateEndReasonBodySchema,
  }),
  ...settingsOperations('/api/settings/break-reasons', 'BreakReason', {
    item: adminBreakReasonSchema,
    list: adminBreakReasonListSchema,
    create: createBreakReasonBodySchema,
    update: updateBreakReasonBodySchema,
  }),

  // lists and imports (managers); a list's export and an import's error report are CSV downloads by link
  listLists: op({ method: 'GET', path: '/api/lists', response: listListSchema }),
  createList: op({
    method: 'POST',
    path: '/api/lists',
    body: createListBodySchema,
    response: listDetailsSchema,
  }),
  createListFromSearch: op({
    method: 'POST',
    path: '/api/lists/from-search',
    body: createListFromSearchBodySchema,
    response: listDetailsSchema,
  }),
  getList: op({ method: 'GET', path: '/api/lists/:listId', params: listIdParamsSchema, response: listDetailsSchema }),
  updateList: op({
    method: 'PATCH',
    path: '/api/lists/:listId',
    params: listIdParamsSchema,
    body: updateListBodySchema,
    response: listDetailsSchema,
  }),
  listListMembers: op({
    method: 'GET',
    path: '/api/lists/:listId/members',
    params: listIdParamsSchema,
    query: listMembersQuerySchema,
    response: listMemberPageSchema,
  }),
  importList: op({
    method: 'POST',
    path: '/api/lists/:listId/imports',
    params: listIdParamsSchema,
    upload: 'file',
    response: uploadedImportSchema,
  }),
  listImports: op({
    method: 'GET',
    path: '/api/lists/:listId/imports',
    params: listIdParamsSchema,
    response: importListSchema,
  }),
  startImport: op({
    method: 'POST',
    path: '/api/imports/:importId/start',
    params: importIdParamsSchema,
    body: startImportBodySchema,
    response: importSchema,
  }),
  getImport: op({
    method: 'GET',
    path: '/api/imports/:importId',
    params: importIdParamsSchema,
    response: importSchema,
  }),
  getImportPreview: op({
    method: 'GET',
    path: '/api/imports/:importId/preview',
    params: importIdParamsSchema,
    response: uploadedImportSchema,
  }),
  deleteImport: op({ method: 'DELETE', path: '/api/imports/:importId', params: importIdParamsSchema }),

  // campaigns (managers)
  listCampaigns: op({
    method: 'GET',
    path: '/api/campaigns',
    query: listCampaignsQuerySchema,
    response: campaignSummaryListSchema,
  }),
  createCampaign: op({
    method: 'POST',
    path: '/api/campaigns',
    body: createCampaignBodySchema,
    response: campaignSchema,
  }),
  getCampaign: op({
    method: 'GET',
    path: '/api/campaigns/:campaignId',
    params: campaignIdParamsSchema,
    response: campaignSchema,
  }),
  updateCampaign: op({
    method: 'PATCH',
    path: '/api/campaigns/:campaignId',
    params: campaignIdParamsSchema,
    body: updateCampaignBodySchema,
    response: campaignSchema,
  }),
  setCampaignTeams: op({
    method: 'PUT',
    path: '/api/campaigns/:campaignId/teams',
    params: campaignIdParamsSchema,
    body: setCampaignTeamsBodySchema,
    response: campaignSchema,
  }),
  connectList: op({
    method: 'POST',
    path: '/api/campaigns/:campaignId/lists',
    params: campaignIdParamsSchema,
    body: connectListBodySchema,
    response: campaignSchema,
  }),
  setListPriority: op({
    method: 'PATCH',
    path: '/api/campaigns/:campaignId/lists/:listId',
    params: campaignListParamsSchema,
    body: setListPriorityBodySchema,
    response: campaignSchema,
  }),
  disconnectList: op({
    method: 'DELETE',
    path: '/api/campaigns/:campaignId/lists/:listId',
    params: campaignListParamsSchema,
    response: campaignSchema,
  }),
  getCampaignProgress: op({
    method: 'GET',
    path: '/api/campaigns/:campaignId/progress',
    params: campaignIdParamsSchema,
    response: campaignProgressSchema,
  }),

  // donors (managers)
  searchDonors: op({ method: 'GET', path: '/api/donors', query: donorSearchQuerySchema, response: donorPageSchema }),
  getDonor: op({
    method: 'GET',
    path: '/api/donors/:donorId',
    params: donorIdParamsSchema,
    response: donorDetailsSchema,
  }),
  updateDonor: op({
    method: 'PATCH',
    path: '/api/donors/:donorId',
    params: donorIdParamsSchema,
    body: updateDonorBodySchema,
    response: donorDetailsSchema,
  }),

  // calls and call-backs (managers)
  listCalls: op({ method: 'GET', path: '/api/calls', query: listCallsQuerySchema, response: callPageSchema }),
  updateCall: op({
    method: 'PATCH',
    path: '/api/calls/:callId',
    params: callIdParamsSchema,
    body: updateCallBodySchema,
    response: correctedCallSchema,
  }),
  listInboundCalls: op({
    method: 'GET',
    path: '/api/calls/inbound',
    query: listInboundCallsQuerySchema,
    response: inboundCallPageSchema,
  }),
  getInboundCallHistory: op({
    method: 'GET',
    path: '/api/calls/inbound/:inboundCallId',
    params: inboundCallIdParamsSchema,
    response: inboundCallHistorySchema,
  }),
  listAppointments: op({
    method: 'GET',
    path: '/api/appointments',
    query: listAppointmentsQuerySchema,
    response: appointmentPageSchema,
  }),
  updateAppointment: op({
    method: 'PATCH',
    path: '/api/appointments/:appointmentId',
    params: appointmentIdParamsSchema,
    body: updateAppointmentBodySchema,
    response: managerAppointmentSchema,
  }),
  cancelAppointment: op({
    method: 'POST',
    path: '/api/appointments/:appointmentId/cancel',
    params: appointmentIdParamsSchema,
    body: emptyBody,
    response: managerAppointmentSchema,
  }),
  listAppointmentOwnerOptions: op({
    method: 'GET',
    path: '/api/appointments/:appointmentId/owner-options',
    params: appointmentIdParamsSchema,
    response: appointmentOwnerOptionsSchema,
  }),

  // what agents pick from (active items only)
  listJobRoles: op({ method: 'GET', path: '/api/job-roles', response: jobRoleListSchema }),
  listSkipReasons: op({ method: 'GET', path: '/api/skip-reasons', response: skipReasonListSchema }),
  listEndReasons: op({ method: 'GET', path: '/api/end-reasons', response: endReasonListSchema }),
  listBreakReasons: op({ method: 'GET', path: '/api/break-reasons', response: breakReasonListSchema }),

  // the phone system (features/telephony): which one, the softphone's credentials, what it observed
  getTelephony: op({ method: 'GET', path: '/api/telephony', response: telephonySchema }),
  createSoftphoneCredentials: op({
    method: 'POST',
    path: '/api/telephony/credentials',
    body: emptyBody,
    response: softphoneCredentialsSchema,
  }),
  recordCallSignal: op({
    method: 'POST',
    path: '/api/calls/:callId/signals',
    params: callIdParamsSchema,
    body: callSignalBodySchema,
    response: callLineSchema,
  }),

  // the agent's shift (the dialer)
  listMyCampaigns: op({ method: 'GET', path: '/api/me/campaigns', response: myCampaignListSchema }),
  listMyCalls: op({ method: 'GET', path: '/api/me/calls', query: listMyCallsQuerySchema, response: callListSchema }),
  listMyAppointments: op({ method: 'GET', path: '/api/me/appointments', response: appointmentListSchema }),
  getShift: op({ method: 'GET', path: '/api/shift', response: shiftOrNullSchema }),
  openShift: op({ method: 'POST', path: '/api/shift', body: openShiftBodySchema, response: shiftSchema }),
  setReady: op({ method: 'POST', path: '/api/shift/ready', body: setReadyBodySchema, response: shiftSchema }),
  nextDonor: op({ method: 'POST', path: '/api/shift/next', body: emptyBody, response: nextDonorResponseSchema }),
  skipOffer: op({
    method: 'POST',
    path: '/api/offers/:offerId/skip',
    params: offerIdParamsSchema,
    body: skipOfferBodySchema,
  }),
  startCall: op({
    method: 'POST',
    path: '/api/offers/:offerId/start',
    params: offerIdParamsSchema,
    body: emptyBody,
    response: startCallResponseSchema,
  }),
  endCall: op({
    method: 'POST',
    path: '/api/calls/:callId/end',
    params: callIdParamsSchema,
    body: endCallBodySchema,
    response: callSchema,
  }),
  takeBreak: op({ method: 'POST', path: '/api/shift/break', body: takeBreakBodySchema, response: shiftSchema }),
  resumeShift: op({ method: 'POST', path: '/api/shift/resume', body: emptyBody, response: shiftSchema }),
  closeShift: op({ method: 'POST', path: '/api/shift/close', body: emptyBody }),
  heartbeat: op({ method: 'POST', path: '/api/shift/heartbeat', body: emptyBody }),
  recordDonation: op({
    method: 'POST',
    path: '/api/donors/:donorId/donations',
    params: donorIdParamsSchema,
    body: recordDonationBodySchema,
    response: donationSchema,
  }),
  createAppointment: op({
    method: 'POST',
    path: '/api/appointments',
    body: createAppointmentBodySchema,
    response: managerAppointmentSchema,
  }),

  // the audit trail
  getAuditTrail: op({ method: 'GET', path: '/api/audit', query: auditTrailQuerySchema, response: auditTrailSchema }),

  // the live floor (managers)
  listFloor: op({ method: 'GET', path: '/api/floor', response: floorSchema }),
  endAgentShift: op({ method: 'POST', path: '/api/floor/shifts/:shiftId/sign-out', params: floorShiftParamsSchema }),
  endAgentCall: op({ method: 'POST', path: '/api/floor/shifts/:shiftId/end-call', params: floorShiftParamsSchema }),
  releaseAgentDonor: op({
    method: 'POST',
    path: '/api/floor/shifts/:shiftId/release-donor',
    params: floorShiftParamsSchema,
  }),
  // inbound lines (managers), phone-system tokens (admins) and the phone system's own two
  listInboundLines: op({ method: 'GET', path: '/api/inbound/lines', response: inboundLineListSchema }),
  createInboundLine: op({
    method: 'POST',
    path: '/api/inbound/lines',
    body: createInboundLineBodySchema,
    response: inboundLineSchema,
  }),
  updateInboundLine: op({
    method: 'PATCH',
    path: '/api/inbound/lines/:lineId',
    params: inboundLineIdParamsSchema,
    body: updateInboundLineBodySchema,
    response: inboundLineSchema,
  }),
  listPhoneSystemTokens: op({ method: 'GET', path: '/api/phone-system-tokens', response: phoneSystemTokenListSchema }),
  createPhoneSystemToken: op({
    method: 'POST',
    path: '/api/phone-system-tokens',
    body: createPhoneSystemTokenBodySchema,
    response: createdPhoneSystemTokenSchema,
  }),
  revokePhoneSystemToken: op({
    method: 'POST',
    path: '/api/phone-system-tokens/:tokenId/revoke',
    params: phoneSystemTokenIdParamsSchema,
    response: phoneSystemTokenSchema,
  }),
  offerInboundCall: op({
    method: 'POST',
    path: '/api/phone-system/calls',
    body: offerInboundCallBodySchema,
    response: offerInboundCallAnswerSchema,
  }),
  inboundCallEvent: op({
    method: 'POST',
    path: '/api/phone-system/calls/events',
    body: inboundCallEventBodySchema,
    response: inboundCallEventAnswerSchema,
  }),
  // the agent's desk phone, and the managers' view of the lines' queues
  logInboundCall: op({
    method: 'POST',
    path: '/api/inbound/calls/log',
    body: logInboundCallBodySchema,
    response: loggedInboundCallStartedSchema,
  }),
  listInboundQueue: op({ method: 'GET', path: '/api/inbound/queue', response: inboundQueueSchema }),
  listMyInboundLines: op({ method: 'GET', path: '/api/me/inbound-lines', response: myInboundLinesSchema }),
  // the caller of the agent's open inbound call: matched donors, search, link, new donor
  listCallerDonors: op({
    method: 'GET',
    path: '/api/inbound/on-call/:callId/donors',
    params: callIdParamsSchema,
    query: callerDonorsQuerySchema,
    response: callerDonorsSchema,
  }),
  linkInboundCallDonor: op({
    method: 'PUT',
    path: '/api/inbound/on-call/:callId/donor',
    params: callIdParamsSchema,
    body: linkCallDonorBodySchema,
    response: startCallResponseSchema,
  }),
  createInboundCallDonor: op({
    method: 'POST',
    path: '/api/inbound/on-call/:callId/donor',
    params: callIdParamsSchema,
    body: createCallDonorBodySchema,
    response: callDonorCreatedSchema,
  }),
  // the agent's side of an inbound call ringing them
  answerInboundCall: op({
    method: 'POST',
    path: '/api/inbound/calls/:inboundCallId/answer',
    params: inboundCallIdParamsSchema,
    body: emptyBody,
    response: startCallResponseSchema,
  }),
  declineInboundCall: op({
    method: 'POST',
    path: '/api/inbound/calls/:inboundCallId/decline',
    params: inboundCallIdParamsSchema,
    body: emptyBody,
  }),
} satisfies Record<string, Operation>;

export type ApiOperations = typeof apiOperations;
export type OperationId = keyof ApiOperations;

type Input<S> = S extends z.ZodType ? z.input<S> : never;

/**
 * What a call of an operation passes: `params`, `query` and `body`, each only where the operation
 * has one; `never` for a file upload (not a JSON call: see `Operation.upload`).
 */
export type OperationInput<Id extends OperationId> = ApiOperations[Id] extends { upload: string }
  ? never
  : JsonOperationInput<Id>;

type JsonOperationInput<Id extends OperationId> = (ApiOperations[Id] extends { params: z.ZodType }
  ? { params: Input<ApiOperations[Id]['params']> }
  : { params?: never }) &
  (ApiOperations[Id] extends { query: z.ZodType } ? { query: Input<ApiOperations[Id]['query']> } : { query?: never }) &
  (ApiOperations[Id] extends { body: z.ZodType } ? { body: Input<ApiOperations[Id]['body']> } : { body?: never });

/** What an operation answers (after its schema parsed it); `void` for 204. */
export type OperationOutput<Id extends OperationId> = ApiOperations[Id] extends { response: z.ZodType }
  ? z.output<ApiOperations[Id]['response']>
  : void;

type Scalar = string | number | boolean | null | undefined;

/** The request path of an operation: its template with each `:name` replaced by the encoded param. */
export function operationPath(template: string, params: Record<string, Scalar> | undefined): string {
  return template.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null) throw new Error(`Missing path parameter ${name} for ${template}`);
    return encodeURIComponent(String(value));
  });
}

/** `?a=1&b=x` from a query object (undefined and null left out; arrays repeat the key), or ''. */
export function operationQuery(query: Record<string, Scalar | readonly Scalar[]> | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    for (const v of Array.isArray(value) ? value : [value])
      if (v !== undefined && v !== null) search.append(key, String(v));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}
