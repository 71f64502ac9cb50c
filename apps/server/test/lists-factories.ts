import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Import, Role } from '@engage/contracts';
import type { Database } from '../src/db/client';
import { donors } from '../src/db/schema';
import { signedIn, type ApiAnswer } from './agent';
import { uniqueSuffix } from './factories';

/** A multipart/form-data body with one file part, as a browser's upload sends it. */
export function multipartFile(
  fileName: string,
  content: Buffer | string,
  opts: { field?: string; contentType?: string } = {},
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----engage${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${opts.field ?? 'file'}"; filename="${fileName}"\r\n` +
      `Content-Type: ${opts.contentType ?? 'text/csv'}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'), tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** A signed-in user with every HTTP method, raw answers (CSV) and uploads. */
export async function apiUser(app: FastifyInstance, database: Database, role: Role = 'manager') {
  const { user, cookie, call } = await signedIn(app, database, role);
  async function raw(url: string) {
    const res = await app.inject({ method: 'GET', url, headers: { cookie } });
    return { status: res.statusCode, text: res.body, headers: res.headers };
  }
  async function upload<T = any>(listId: number, fileName: string, content: Buffer | string): Promise<ApiAnswer<T>> {
    const { payload, headers } = multipartFile(fileName, content);
    const res = await app.inject({
      method: 'POST',
      url: `/api/lists/${listId}/imports`,
      headers: { cookie, ...headers },
      payload,
    });
    return { status: res.statusCode, body: res.body ? res.json<T>() : (undefined as T) };
  }
  async function createList(name = `List ${uniqueSuffix()}`, description?: string) {
    const res = await call('POST', '/api/lists', { name, description });
    if (res.status !== 201) throw new Error(`createList: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: number; name: string };
  }
  /** Polls getImport until the import has finished (or failed). */
  async function waitForImport(importId: number, timeoutMs = 120_000): Promise<Import> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const res = await call<Import>('GET', `/api/imports/${importId}`);
      if (res.status !== 200) throw new Error(`getImport: ${res.status} ${JSON.stringify(res.body)}`);
      if (res.body.status === 'done' || res.body.status === 'failed') return res.body;
      if (Date.now() > until) throw new Error(`import ${importId} still ${res.body.status} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { user, cookie, call, raw, upload, createList, waitForImport };
}

export type ApiUser = Awaited<ReturnType<typeof apiUser>>;

/** Donors with the given names, phones, emails (each gets a unique reference unless given). */
export async function insertDonors(
  db: Database['db'],
  specs: {
    firstName?: string;
    lastName?: string;
    reference?: string;
    phone?: string | null;
    altPhone?: string | null;
    email?: string | null;
    timeZone?: string;
  }[],
) {
  const s = uniqueSuffix();
  return db
    .insert(donors)
    .values(
      specs.map((d, i) => ({
        reference: d.reference ?? `S-${s}-${i}`,
        firstName: d.firstName ?? `First${i}`,
        lastName: d.lastName ?? `Last ${s}`,
        phone: d.phone ?? null,
        altPhone: d.altPhone ?? null,
        email: d.email ?? null,
        timeZone: d.timeZone ?? 'Europe/London',
      })),
    )
    .returning();
}

/** Makes the user a leader of the team (a manager's work reaches the team's campaigns and calls). */
export async function makeLeader(database: Database, userId: number, teamId: number): Promise<void> {
  await database.pool.query(
    `INSERT INTO team_members (team_id, user_id, is_leader) VALUES ($1, $2, true)
     ON CONFLICT (team_id, user_id) DO UPDATE SET is_leader = true`,
    [teamId, userId],
  );
}

/** Puts donors on a list (as a list made by a manager holds them: within the manager's reach). */
export async function addToList(database: Database, listId: number, donorIds: number[]): Promise<void> {
  await database.pool.query(
    'INSERT INTO list_members (list_id, donor_id) SELECT $1, unnest($2::int[]) ON CONFLICT DO NOTHING',
    [listId, donorIds],
  );
}

/** Parses a CSV answer (our own exports: BOM, CRLF, RFC 4180 quotes) into rows of cells. */
export function parseCsv(text: string): string[][] {
  const src = text.replace(/^\ufeff/, '');
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && src[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
