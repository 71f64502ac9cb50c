import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Role } from '@engage/contracts';
import type { Database } from '../src/db/client';
import { listMembers, lists } from '../src/db/schema';
import type { ApiAnswer } from './agent';
import { login } from './app';
import { createUser, TEST_PASSWORD, uniqueSuffix } from './factories';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Sends one request with a session cookie (or none), any method. */
export async function request<T = any>(
  app: FastifyInstance,
  cookie: string | null,
  method: Method,
  url: string,
  body?: unknown,
): Promise<ApiAnswer<T>> {
  const res = await app.inject({
    method,
    url,
    headers: cookie ? { cookie } : {},
    payload: method === 'GET' ? undefined : (body ?? {}),
  });
  return { status: res.statusCode, body: res.body ? res.json<T>() : (undefined as T) };
}

/** A signed-in user of any role, driving the API with any method. */
export async function apiUser(app: FastifyInstance, database: Database, role: Role, opts: { name?: string } = {}) {
  const user = await createUser(database.db, { role, name: opts.name });
  const cookie = await login(app, user.email, TEST_PASSWORD);
  return {
    user,
    cookie,
    get: <T = any>(url: string) => request<T>(app, cookie, 'GET', url),
    post: <T = any>(url: string, body?: unknown) => request<T>(app, cookie, 'POST', url, body),
    put: <T = any>(url: string, body?: unknown) => request<T>(app, cookie, 'PUT', url, body),
    patch: <T = any>(url: string, body?: unknown) => request<T>(app, cookie, 'PATCH', url, body),
    del: <T = any>(url: string) => request<T>(app, cookie, 'DELETE', url),
  };
}
export type ApiUser = Awaited<ReturnType<typeof apiUser>>;

/** A donor list holding the donors (as the lists feature would make it). */
export async function createList(db: Database['db'], donorIds: number[], name = `List ${uniqueSuffix()}`) {
  const [list] = await db.insert(lists).values({ name }).returning();
  if (donorIds.length) await db.insert(listMembers).values(donorIds.map((donorId) => ({ listId: list!.id, donorId })));
  return list!;
}

/** The audit records of one entity, oldest first. */
export async function auditOf(db: Database['db'], entityType: string, entityId: number) {
  const r = await db.execute(
    sql`select actor_id, action, before, after from audit_log
         where entity_type = ${entityType} and entity_id = ${entityId} order by id`,
  );
  return r.rows as { actor_id: number | null; action: string; before: any; after: any }[];
}
