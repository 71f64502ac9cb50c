import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Role } from '@engage/contracts';
import type { Database } from '../src/db/client';
import { login } from './app';
import { createUser, TEST_PASSWORD } from './factories';

export interface ApiAnswer<T = any> {
  status: number;
  body: T;
}

/**
 * A signed-in user (any role) driving the HTTP API, as the web app or a phone integration would;
 * the agent's shortcuts are there for the dialer's tests.
 */
export async function signedIn(app: FastifyInstance, database: Database, role: Role = 'agent') {
  const user = await createUser(database.db, { role });
  const cookie = await login(app, user.email, TEST_PASSWORD);
  async function call<T = any>(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiAnswer<T>> {
    const res = await app.inject({
      method,
      url,
      headers: { cookie, ...headers },
      payload: method === 'GET' ? undefined : (body ?? {}),
    });
    return { status: res.statusCode, body: res.body ? res.json<T>() : (undefined as T) };
  }
  return {
    user,
    cookie,
    call,
    openShift: (jobRoleId: number) => call('POST', '/api/shift', { jobRoleId }),
    ready: (teamId: number, campaignId: number) => call('POST', '/api/shift/ready', { teamId, campaignId }),
    next: () => call('POST', '/api/shift/next'),
    skip: (offerId: number, skipReasonId: number, notes?: string) =>
      call('POST', `/api/offers/${offerId}/skip`, { skipReasonId, notes }),
    start: (offerId: number) => call('POST', `/api/offers/${offerId}/start`),
    end: (callId: number, body: object, key: string = randomUUID()) =>
      call('POST', `/api/calls/${callId}/end`, body, { 'idempotency-key': key }),
    shift: () => call('GET', '/api/shift'),
  };
}

export type Agent = Awaited<ReturnType<typeof signedIn>>;
