import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@engage/contracts';
import { createTestApp, type TestApp } from './app';
import { signedIn } from './agent';

/**
 * Walks every operation of the OpenAPI document with each role and checks the answer against
 * the permission table below: every operation needs a deliberate entry, so a new route cannot
 * slip in without one.
 */
const WHO: Record<string, 'public' | Role> = {
  // sign-in, health
  login: 'public',
  getHealth: 'public',
  getMe: 'agent',
  logout: 'agent',
  // the agent's shift
  listJobRoles: 'agent',
  listSkipReasons: 'agent',
  listEndReasons: 'agent',
  listBreakReasons: 'agent',
  listMyCampaigns: 'agent',
  getShift: 'agent',
  openShift: 'agent',
  setReady: 'agent',
  nextDonor: 'agent',
  skipOffer: 'agent',
  startCall: 'agent',
  endCall: 'agent',
  takeBreak: 'agent',
  resumeShift: 'agent',
  closeShift: 'agent',
  heartbeat: 'agent',
  listMyCalls: 'agent',
  listMyAppointments: 'agent',
  getDonor: 'agent',
  recordDonation: 'agent',
  getOrganisationSettings: 'agent',
  streamEvents: 'agent',
  // managers: the floor, teams, campaigns, calls, appointments, the audit trail
  listFloor: 'manager',
  listUsers: 'manager',
  listTeams: 'manager',
  createTeam: 'manager',
  getTeam: 'manager',
  updateTeam: 'manager',
  addTeamMember: 'manager',
  removeTeamMember: 'manager',
  setTeamLeader: 'manager',
  listCampaigns: 'manager',
  createCampaign: 'manager',
  getCampaign: 'manager',
  updateCampaign: 'manager',
  setCampaignTeams: 'manager',
  connectList: 'manager',
  setListPriority: 'manager',
  disconnectList: 'manager',
  getCampaignProgress: 'manager',
  listCalls: 'manager',
  updateCall: 'manager',
  getAuditTrail: 'manager',
  createAppointment: 'agent',
  listAppointments: 'manager',
  updateAppointment: 'manager',
  cancelAppointment: 'manager',
  listAppointmentOwnerOptions: 'manager',
  // managers: donors, lists and imports
  searchDonors: 'manager',
  updateDonor: 'manager',
  listLists: 'manager',
  createList: 'manager',
  createListFromSearch: 'manager',
  getList: 'manager',
  updateList: 'manager',
  listListMembers: 'manager',
  exportList: 'manager',
  importList: 'manager',
  listImports: 'manager',
  startImport: 'manager',
  getImport: 'manager',
  downloadImportErrors: 'manager',
  // administrators: users, job roles and reasons
  createUser: 'admin',
  updateUser: 'admin',
  disableUser: 'admin',
  enableUser: 'admin',
  resetPassword: 'admin',
  // administrators: the organisation's settings
  updateOrganisationSettings: 'admin',
  ...Object.fromEntries(
    ['JobRole', 'SkipReason', 'EndReason', 'BreakReason'].flatMap((x) =>
      [`listAll${x}s`, `create${x}`, `update${x}`, `reorder${x}s`, `retire${x}`, `restore${x}`].map((op) => [
        op,
        'admin' as const,
      ]),
    ),
  ),
};

/** Not walked here: the event stream never ends (floor.int.test.ts), logout would end the walkers' sessions (auth.int.test.ts). */
const NOT_WALKED = new Set(['streamEvents', 'logout']);

let t: TestApp;
const cookies: Partial<Record<Role, Awaited<ReturnType<typeof signedIn>>>> = {};

beforeAll(async () => {
  t = await createTestApp();
  for (const role of ['agent', 'manager', 'admin'] as const) cookies[role] = await signedIn(t.app, t.database, role);
});

const rank = { public: 0, agent: 1, manager: 2, admin: 3 } as const;

describe('permissions on every route', () => {
  it('every operation has an entry in the permission table, matching its declared guard', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const missing: string[] = [];
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, { operationId: string }>>)) {
      for (const [method, op] of Object.entries(item)) {
        const who = WHO[op.operationId];
        if (!who) {
          missing.push(`${op.operationId} (${method.toUpperCase()} ${path})`);
          continue;
        }
        const declared = t.app.routeAccess.find(
          (r) => r.method === method.toUpperCase() && r.url === path.replace(/\{(\w+)\}/g, ':$1'),
        );
        expect(declared?.access, op.operationId).toBe(who);
      }
    }
    expect(missing, 'add these to the permission table').toEqual([]);
  });

  it('each role gets exactly the answers its rank allows', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const failures: string[] = [];
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, { operationId: string }>>)) {
      for (const [method, op] of Object.entries(item)) {
        if (NOT_WALKED.has(op.operationId)) continue;
        const who = WHO[op.operationId] ?? 'admin';
        const url = path.replace(/\{(\w+)\}/g, '999999');
        for (const role of ['anonymous', 'agent', 'manager', 'admin'] as const) {
          const res = await t.app.inject({
            method: method.toUpperCase() as 'GET',
            url,
            headers: role === 'anonymous' ? {} : { cookie: cookies[role]!.cookie },
            payload: method === 'get' ? undefined : {},
          });
          const refusedByGuard =
            (res.statusCode === 401 && role === 'anonymous') ||
            (res.statusCode === 403 && /^Your role/.test(res.json<{ message?: string }>().message ?? ''));
          const allowed = who === 'public' || (role !== 'anonymous' && rank[role] >= rank[who]);
          if (allowed === refusedByGuard) {
            failures.push(
              `${role} ${method.toUpperCase()} ${path} (${op.operationId}, ${who}): ${res.statusCode} ${res.body.slice(0, 120)}`,
            );
          }
          if (res.statusCode >= 500)
            failures.push(`${role} ${method.toUpperCase()} ${path}: ${res.statusCode} ${res.body.slice(0, 120)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
