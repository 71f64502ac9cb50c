import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorResponseSchema, type Role } from '@engage/contracts';
import { createTestApp, type TestApp } from './app';
import { signedIn } from './agent';

/**
 * Walks every operation of the OpenAPI document with each role and checks the answer against
 * the permission table below: every operation needs a deliberate entry, so a new route cannot
 * slip in without one. Then walks them again with malformed ids, bodies and query strings: no
 * answer is ever a 5xx, and every error is in the one error shape.
 */
const WHO: Record<string, 'public' | Role> = {
  // sign-in, health
  login: 'public',
  getHealth: 'public',
  getMe: 'agent',
  getSession: 'public',
  logout: 'agent',
  changePassword: 'agent',
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
  endAgentShift: 'manager',
  endAgentCall: 'manager',
  releaseAgentDonor: 'manager',
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
  listInboundCalls: 'manager',
  getInboundCallHistory: 'manager',
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
  getImportPreview: 'manager',
  deleteImport: 'manager',
  downloadImportErrors: 'manager',
  // administrators: users, job roles and reasons
  createUser: 'admin',
  updateUser: 'admin',
  disableUser: 'admin',
  enableUser: 'admin',
  resetPassword: 'admin',
  // administrators: the organisation's settings
  updateOrganisationSettings: 'admin',
  // inbound lines (managers, for the teams they lead), phone-system tokens (administrators)
  listInboundLines: 'manager',
  createInboundLine: 'manager',
  updateInboundLine: 'manager',
  listPhoneSystemTokens: 'admin',
  createPhoneSystemToken: 'admin',
  revokePhoneSystemToken: 'admin',
  // the agent's desk phone, and the lines' queues (managers, for the lines their teams answer)
  logInboundCall: 'agent',
  listInboundQueue: 'manager',
  // the phone system: no session, its token and signature (features/inbound/phone-system-auth.ts)
  offerInboundCall: 'public',
  inboundCallEvent: 'public',
  // the agent's side of an inbound call ringing them
  answerInboundCall: 'agent',
  declineInboundCall: 'agent',
  listMyInboundLines: 'agent',
  // the caller of the agent's open inbound call
  listCallerDonors: 'agent',
  linkInboundCallDonor: 'agent',
  createInboundCallDonor: 'agent',
  // the phone system the screens use, the softphone's credentials and what it observed
  getTelephony: 'agent',
  createSoftphoneCredentials: 'agent',
  recordCallSignal: 'agent',
  ...Object.fromEntries(
    ['JobRole', 'SkipReason', 'EndReason', 'BreakReason'].flatMap((x) =>
      [`listAll${x}s`, `create${x}`, `update${x}`, `reorder${x}s`, `retire${x}`, `restore${x}`].map((op) => [
        op,
        'admin' as const,
      ]),
    ),
  ),
};

/**
 * Not walked here: the event stream never ends (floor.int.test.ts), logout would end the walkers'
 * sessions (auth.int.test.ts), and the phone system's two operations answer every session-less
 * request 401 until its token and signature check out (inbound-phone-system.int.test.ts walks them).
 */
const NOT_WALKED = new Set(['streamEvents', 'logout', 'offerInboundCall', 'inboundCallEvent']);

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

  it('malformed ids in the path are refused with 400 (never read as another id, never a 5xx), by every role', async () => {
    const failures: string[] = [];
    for (const op of await operations()) {
      for (const param of op.pathParams) {
        for (const bad of BAD_IDS) {
          const url = op.path.replace(/\{(\w+)\}/g, (_, name: string) =>
            name === param ? encodeURIComponent(bad) : '999999',
          );
          for (const role of ROLES) {
            const res = await send(op.method, url, role, op.method === 'GET' ? {} : { payload: {} });
            const where = `${role} ${op.method} ${url} (${op.operationId}, ${param}=${JSON.stringify(bad)})`;
            checkAnswer(failures, where, res);
            if (allowed(op, role) && !isRefusal(res, 'validation_failed', `params.${param}`)) {
              failures.push(`${where}: expected 400 validation_failed on params.${param}, got ${summary(res)}`);
            }
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('malformed bodies (none, null, arrays, wrong types, huge strings, bad ids) never answer 5xx, by every role', async () => {
    const failures: string[] = [];
    for (const op of await operations()) {
      if (op.body === null) continue;
      const url = op.path.replace(/\{(\w+)\}/g, '999999');
      const bodies: {
        label: string;
        payload?: string;
        headers?: Record<string, string>;
        /** A property that names an id, sent a malformed one. */
        idField?: string;
        /** No body at all, as `curl -X POST` sends, or an empty one. */
        absent?: boolean;
      }[] = [
        { label: 'no body', absent: true },
        { label: 'empty JSON body', payload: '', headers: { 'content-type': 'application/json' }, absent: true },
        { label: 'blank JSON body', payload: '  \n', headers: { 'content-type': 'application/json' }, absent: true },
        { label: 'not JSON', payload: '{"a":', headers: { 'content-type': 'application/json' } },
        { label: 'text/plain', payload: 'hello', headers: { 'content-type': 'text/plain' } },
        { label: 'too large', payload: JSON.stringify({ x: 'x'.repeat(1_100_000) }) },
        ...[null, [], [{}], 'text', 42, true].map((v) => ({ label: JSON.stringify(v), payload: JSON.stringify(v) })),
      ];
      for (const [prop, schema] of Object.entries(op.body.properties)) {
        const values: unknown[] = [null, [], {}, true, 'text', -1, 1.5, 1e300, 'x'.repeat(20_000), ['x'.repeat(1000)]];
        for (const v of values) {
          bodies.push({ label: `${prop}=${JSON.stringify(v).slice(0, 20)}`, payload: JSON.stringify({ [prop]: v }) });
        }
        if (!isIdField(prop)) continue;
        for (const bad of BAD_IDS) {
          const v = schema.type === 'array' ? [bad] : bad;
          bodies.push({ label: `${prop}=${JSON.stringify(v)}`, payload: JSON.stringify({ [prop]: v }), idField: prop });
        }
      }
      for (const b of bodies) {
        for (const role of ROLES) {
          const headers = b.payload !== undefined && !b.headers ? { 'content-type': 'application/json' } : b.headers;
          const res = await send(op.method, url, role, { payload: b.payload, headers });
          const where = `${role} ${op.method} ${url} (${op.operationId}, body ${b.label})`;
          checkAnswer(failures, where, res);
          if (!allowed(op, role)) continue;
          if (b.idField && !isRefusal(res, 'validation_failed', `body.${b.idField}`)) {
            failures.push(`${where}: expected 400 validation_failed on body.${b.idField}, got ${summary(res)}`);
          }
          if (op.takesNoBody && b.absent && refusedTheBody(res)) {
            failures.push(`${where}: an operation without a request body refused an absent one: ${summary(res)}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('malformed query strings (bad ids, numbers, cursors, unknown enum values) never answer 5xx, by every role', async () => {
    const failures: string[] = [];
    const values = [
      ...BAD_IDS,
      '',
      'zzz-unknown',
      '1.5',
      '9'.repeat(400),
      'x'.repeat(5000),
      '1781337600000.99999999999',
      '99999999999999999.5',
      '253402300800000.1',
      'WyIyMDI2LTAxLTAxVDAwOjAwOjAwWiIsOTk5OTk5OTk5OTk5XQ',
      '0000-01-01',
      '9999-12-31T23:59:59Z',
      '2026-02-30',
      'Mars/Olympus',
    ];
    for (const op of await operations()) {
      if (op.query.length === 0) continue;
      const path = op.path.replace(/\{(\w+)\}/g, '999999');
      for (const q of op.query) {
        const cases = [
          ...values.map((v) => `${q.name}=${encodeURIComponent(v)}`),
          `${q.name}=1&${q.name}=2`,
          `${q.name}[a]=1`,
        ];
        for (const qs of cases) {
          const url = `${path}?${qs}`;
          for (const role of ROLES) {
            const res = await send(op.method, url, role, op.method === 'GET' ? {} : { payload: {} });
            const where = `${role} ${op.method} ${url.slice(0, 120)} (${op.operationId})`;
            checkAnswer(failures, where, res);
            const value = decodeURIComponent(qs.slice(q.name.length + 1));
            if (
              allowed(op, role) &&
              ((isIdField(q.name) && (BAD_IDS as readonly string[]).includes(value)) ||
                (q.enum && value === 'zzz-unknown')) &&
              !isRefusal(res, 'validation_failed', `querystring.${q.name}`)
            ) {
              failures.push(`${where}: expected 400 validation_failed on querystring.${q.name}, got ${summary(res)}`);
            }
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });
});

/** Not id 1, nor any id: each must be refused wherever an id is expected. */
const BAD_IDS = ['abc', '99999999999', '-1', '0', '+1', '1e3', '0x10', ' 1', '1 ', '01', '2147483648'] as const;
const ROLES = ['anonymous', 'agent', 'manager', 'admin'] as const;

interface Operation {
  operationId: string;
  method: string;
  path: string;
  who: 'public' | Role;
  pathParams: string[];
  query: { name: string; enum: boolean }[];
  /** The JSON body's properties, or null when the operation documents no JSON body. */
  body: { properties: Record<string, { type?: string }> } | null;
  /** Documents no body, or an empty one: a request without a body is the normal call. */
  takesNoBody: boolean;
}

async function operations(): Promise<Operation[]> {
  const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
  const resolve = (s: any): any => (s?.$ref ? doc.components.schemas[s.$ref.split('/').pop()] : s);
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
    for (const [method, op] of Object.entries(item)) {
      if (NOT_WALKED.has(op.operationId)) continue;
      const params: any[] = op.parameters ?? [];
      const json = resolve(op.requestBody?.content?.['application/json']?.schema);
      const multipart = op.requestBody?.content?.['multipart/form-data'];
      ops.push({
        operationId: op.operationId,
        method: method.toUpperCase(),
        path,
        who: WHO[op.operationId] ?? 'admin',
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name as string),
        query: params
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name as string, enum: JSON.stringify(p.schema ?? {}).includes('"enum"') })),
        body: json ? { properties: json.properties ?? {} } : method === 'get' || multipart ? null : { properties: {} },
        takesNoBody: !multipart && Object.keys(json?.properties ?? {}).length === 0,
      });
    }
  }
  return ops;
}

function allowed(op: Operation, role: (typeof ROLES)[number]): boolean {
  return op.who === 'public' || (role !== 'anonymous' && rank[role] >= rank[op.who]);
}

function isIdField(name: string): boolean {
  return /(^id|Id|^ids|Ids)$/.test(name);
}

async function send(
  method: string,
  url: string,
  role: (typeof ROLES)[number],
  opts: { payload?: unknown; headers?: Record<string, string> },
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: method as 'GET',
    url,
    headers: { ...(role === 'anonymous' ? {} : { cookie: cookies[role]!.cookie }), ...opts.headers },
    payload: opts.payload as string | undefined,
  });
}

function summary(res: LightMyRequestResponse): string {
  return `${res.statusCode} ${res.body.slice(0, 200)}`;
}

/** No 5xx, and every error in the one error shape `{ code, message, issues?, requestId }`. */
function checkAnswer(failures: string[], where: string, res: LightMyRequestResponse): void {
  if (res.statusCode >= 500) failures.push(`${where}: ${summary(res)}`);
  if (res.statusCode >= 400) {
    let body: unknown;
    try {
      body = res.json();
    } catch {
      body = res.body;
    }
    const parsed = errorResponseSchema.strict().safeParse(body);
    if (!parsed.success || parsed.data.requestId !== res.headers['x-request-id']) {
      failures.push(`${where}: not in the error shape: ${summary(res)}`);
    }
  }
}

function isRefusal(res: LightMyRequestResponse, code: string, path: string): boolean {
  if (res.statusCode !== 400) return false;
  const body = res.json<{ code: string; issues?: { path: string }[] }>();
  return body.code === code && (body.issues ?? []).some((i) => i.path === path || i.path.startsWith(`${path}.`));
}

function refusedTheBody(res: LightMyRequestResponse): boolean {
  if (res.statusCode !== 400 && res.statusCode !== 415) return false;
  const body = res.json<{ code: string }>();
  return ['validation_failed', 'malformed_json', 'unsupported_media_type'].includes(body.code);
}
