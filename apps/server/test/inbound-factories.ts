import { asc, eq } from 'drizzle-orm';
import type { Response as LightMyRequestResponse } from 'light-my-request';
import { expect } from 'vitest';
import { inboundCallEvents, inboundCalls } from '../src/db/schema';
import { signPhoneSystemBody } from '../src/features/inbound/phone-system-auth';
import type { ApiUser } from './admin-factories';
import { signedIn, type Agent } from './agent';
import type { TestApp, testClock } from './app';
import { createCampaign, createDonors, createTeam } from './dialer-factories';
import { uniqueSuffix } from './factories';

/**
 * Set-up shared by the inbound integration tests (features/inbound/*.int.test.ts): lines made
 * through the API, the phone system's signed requests, agents Ready on a line's team, an inbound
 * call's row and history. A test file makes one kit at module level; the kit reads the file's app,
 * administrator and phone-system token when used (they are made in its beforeAll).
 */
type Clock = ReturnType<typeof testClock>;

/** A line as POST /api/inbound/lines answers it (the fields the tests read). */
export interface TestLine {
  id: number;
  number: string;
  name: string;
  campaign: { id: number; name: string };
}

/** What the phone system's requests answer (the fields the tests read). */
export interface Instruction {
  inboundCallId: number;
  action?: string;
  agentId?: number;
  status?: string;
  then?: string;
}

/** The X-Engage-Signature of a phone-system request body signed with `key` at `at` (whole seconds). */
export function phoneSystemSignature(key: string, body: string, at: Date): string {
  const ts = Math.floor(at.getTime() / 1000);
  return `t=${ts},v1=${signPhoneSystemBody(key, ts, body)}`;
}

/** A phone-system request as the phone system sends it: Bearer token, body signed with it now. */
export function signedPhoneSystemRequest(
  app: TestApp,
  v: { token: string; path: string; body: unknown; at: Date },
): Promise<LightMyRequestResponse> {
  const payload = JSON.stringify(v.body);
  return app.app.inject({
    method: 'POST',
    url: v.path,
    payload,
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${v.token}`,
      'x-engage-signature': phoneSystemSignature(v.token, payload, v.at),
    },
  });
}

export const answerInbound = (a: Agent, id: number) => a.call('POST', `/api/inbound/calls/${id}/answer`);
export const declineInbound = (a: Agent, id: number) => a.call('POST', `/api/inbound/calls/${id}/decline`);

export function inboundKit(
  env: () => { t: TestApp; admin: ApiUser; token?: string },
  opts: {
    clock: Clock;
    /** The numbers' first digits, e.g. '020 7946 2': each line takes the next of 100, 101, ... after them. */
    numberPrefix: string;
    /** Fields every line is made with, before the test's own. */
    lineDefaults?: Record<string, unknown>;
  },
) {
  let seq = 100;
  const { clock } = opts;
  const token = () => {
    const v = env().token;
    if (!v) throw new Error('inboundKit: this file made no phone-system token');
    return v;
  };

  /** A line made by the administrator through the API (201 expected), answered by `teamIds`. */
  async function line(teamIds: number[] | null, over: Record<string, unknown> = {}): Promise<TestLine> {
    const res = await env().admin.post<TestLine>('/api/inbound/lines', {
      number: `${opts.numberPrefix}${String(seq++).padStart(3, '0')}`,
      country: 'GB',
      name: `Line ${uniqueSuffix()}`,
      timeZone: 'Europe/London',
      ...(teamIds === null ? {} : { teamIds }),
      ...opts.lineDefaults,
      ...over,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  /** A signed phone-system request, its answer as it is. */
  const request = (path: string, body: unknown, app: TestApp = env().t) =>
    signedPhoneSystemRequest(app, { token: token(), path, body, at: clock.now() });

  /** A signed phone-system request that must answer 200: its instruction. */
  async function send(path: string, body: unknown, app: TestApp = env().t): Promise<Instruction> {
    const res = await request(path, body, app);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Instruction>();
  }

  /** The phone system offers a new call to `to`. */
  const offer = (to: string, o: { from?: string; callId?: string; app?: TestApp } = {}) =>
    send(
      '/api/phone-system/calls',
      { callId: o.callId ?? `pbx-${uniqueSuffix()}`, from: o.from ?? '+44 20 7946 0999', to },
      o.app,
    );
  const event = (body: object, app?: TestApp) => send('/api/phone-system/calls/events', body, app);

  /**
   * `n` agents signed in under `jobRoleId` and Ready on an outbound campaign of a new team (with
   * `donors` callable donors), one minute apart (the first idle longest).
   */
  async function floor(n: number, o: { jobRoleId: number; app?: TestApp; donors?: number }) {
    const { t } = env();
    const app = o.app ?? t;
    const agents: Agent[] = [];
    for (let i = 0; i < n; i++) agents.push(await signedIn(app.app, app.database));
    const team = await createTeam(
      t.database.db,
      agents.map((a) => a.user.id),
    );
    const donors = await createDonors(
      t.database.db,
      Array.from({ length: o.donors ?? 0 }, () => ({})),
    );
    const campaign = await createCampaign(t.database, {
      teamIds: [team.id],
      lists: [{ donorIds: donors.map((d) => d.id) }],
    });
    for (const a of agents) {
      expect((await a.openShift(o.jobRoleId)).status).toBe(201);
      expect((await a.ready(team.id, campaign.id)).status).toBe(200);
      clock.advance(60_000);
    }
    return { agents, team, campaign };
  }

  /** The call's history: each event's type and agent, oldest first. */
  const history = (inboundCallId: number) =>
    env()
      .t.database.db.select({ type: inboundCallEvents.type, agentId: inboundCallEvents.agentId })
      .from(inboundCallEvents)
      .where(eq(inboundCallEvents.inboundCallId, inboundCallId))
      .orderBy(asc(inboundCallEvents.id));

  async function callRow(id: number) {
    const [row] = await env().t.database.db.select().from(inboundCalls).where(eq(inboundCalls.id, id));
    return row!;
  }

  return { line, request, send, offer, event, floor, history, callRow };
}
