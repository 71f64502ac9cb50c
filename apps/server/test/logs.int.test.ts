import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './app';
import { addToList, apiUser, insertDonors, type ApiUser } from './lists-factories';

/**
 * The server's log stream, as an operator would read it: what a manager searched for or typed
 * into a donor's record is personal data and never appears there. Requests are still logged (path,
 * status), and refusals by their code and fields.
 */
let t: TestApp;
let manager: ApiUser;
let logged = '';

beforeAll(async () => {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logged += chunk.toString();
      done();
    },
  });
  t = await createTestApp({ env: { LOG_LEVEL: 'info' }, logStream: stream });
  manager = await apiUser(t.app, t.database, 'manager');
});

const lines = () =>
  logged
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, any>);

describe('personal data in the logs', () => {
  it('donor searches and refused edits leave no name, phone number or email in the log', async () => {
    const [donor] = await insertDonors(t.database.db, [
      { firstName: 'Xanthippe', lastName: 'Quarrington', phone: '+447700900461', email: 'xanthippe.q@example.org' },
    ]);
    // On a list the manager made: within their reach (donor-reach.ts).
    const list = await manager.call('POST', '/api/lists', { name: 'Log check' });
    await addToList(t.database, list.body.id, [donor!.id]);
    const personal = ['Xanthippe', 'Quarrington', '7700900461', '7700 900461', 'xanthippe.q', 'XANTHIPPE'];

    for (const q of ['Xanthippe Quarrington', '07700 900461', '+447700900461', 'xanthippe.q@example.org']) {
      const res = await manager.call('GET', `/api/donors?q=${encodeURIComponent(q)}&page=1`);
      expect(res.status).toBe(200);
      expect(res.body.donors.map((d: { id: number }) => d.id)).toEqual([donor!.id]);
    }
    // A search the schema refuses (too long), an edit the server refuses (phone, email), and one
    // the schema refuses (wrong types): each answer names the fields, and neither it nor the log
    // carries what was typed.
    const tooLong = await manager.call('GET', `/api/donors?q=${encodeURIComponent('XANTHIPPE '.repeat(30))}`);
    expect(tooLong.status).toBe(400);
    const refused = await manager.call('PATCH', `/api/donors/${donor!.id}`, {
      phone: '07700 900461 ext Xanthippe',
      email: 'xanthippe.q@@example.org',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['body.email', 'body.phone']);
    const wrongTypes = await manager.call('PATCH', `/api/donors/${donor!.id}`, {
      firstName: ['Xanthippe'],
      doNotCall: 'Quarrington',
    });
    expect(wrongTypes.status).toBe(400);
    for (const answer of [tooLong, refused, wrongTypes]) {
      for (const p of personal) expect(JSON.stringify(answer.body)).not.toContain(p);
    }

    const log = lines();
    for (const p of personal) expect(logged, `"${p}" in the log`).not.toContain(p);
    // The log still tells what happened, by path, status and code.
    expect(log).toContainEqual(expect.objectContaining({ req: expect.objectContaining({ url: '/api/donors' }) }));
    expect(log).toContainEqual(expect.objectContaining({ res: { statusCode: 400 } }));
    expect(log).toContainEqual(
      expect.objectContaining({ code: 'validation_failed', fields: ['body.phone', 'body.email'] }),
    );
  });
});
