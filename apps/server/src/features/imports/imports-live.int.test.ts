import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngageEvent } from '@engage/contracts';
import { createTestApp, type TestApp } from '../../../test/app';
import { apiUser, type ApiUser } from '../../../test/lists-factories';

/** Imports announce themselves on the live-event stream: the imports table updates without a reload. */
let t: TestApp;
let baseUrl: string;
let manager: ApiUser;
const aborts: AbortController[] = [];

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  manager = await apiUser(t.app, t.database, 'manager');
});
afterAll(async () => {
  for (const a of aborts) a.abort();
  await t.app.close();
});

/** Opens an event stream and collects its import.changed events. */
async function importEvents(cookie: string): Promise<{ events: Extract<EngageEvent, { type: 'import.changed' }>[] }> {
  const controller = new AbortController();
  aborts.push(controller);
  const res = await fetch(`${baseUrl}/api/events`, { headers: { cookie }, signal: controller.signal });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  await reader.read(); // open and subscribed
  const out = { events: [] as Extract<EngageEvent, { type: 'import.changed' }>[] };
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    for (;;) {
      const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }));
      if (chunk.done) return;
      buffer += decoder.decode(chunk.value, { stream: true });
      const blocks = buffer.split('\n\n');
      buffer = blocks.pop() ?? '';
      for (const block of blocks) {
        const lines = block.split('\n');
        const data = lines.find((l) => l.startsWith('data: '));
        if (lines.includes('event: import.changed') && data) out.events.push(JSON.parse(data.slice(6)));
      }
    }
  })();
  return out;
}

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('import.changed events', () => {
  it('reach managers as an import is uploaded, runs, finishes and is deleted; agents get none', async () => {
    const otherManager = await apiUser(t.app, t.database, 'manager');
    const agent = await apiUser(t.app, t.database, 'agent');
    const seen = await importEvents(otherManager.cookie);
    const agentSeen = await importEvents(agent.cookie);

    const list = await manager.createList();
    const up = await manager.upload(list.id, 'live.csv', 'Reference,Name\nLIVE-1,Ann\nLIVE-2,Bob\n');
    const id = up.body.import.id as number;
    const started = await manager.call('POST', `/api/imports/${id}/start`, {
      mapping: { reference: 'Reference', fullName: 'Name' },
      defaultCountry: 'GB',
    });
    expect(started.status).toBe(202);
    await manager.waitForImport(id);
    await until(() => seen.events.some((e) => e.importId === id && e.status === 'done'));
    const ofThis = seen.events.filter((e) => e.importId === id);
    expect(ofThis.map((e) => [e.status, e.processedRows])).toEqual([
      ['uploaded', 0],
      ['running', 0],
      ['running', 2], // the batch
      ['done', 2],
    ]);
    expect(ofThis.every((e) => e.listId === list.id)).toBe(true);

    const second = await manager.upload(list.id, 'later.csv', 'Reference\nLIVE-3\n');
    const secondId = second.body.import.id as number;
    expect((await manager.call('DELETE', `/api/imports/${secondId}`)).status).toBe(204);
    await until(() => seen.events.some((e) => e.importId === secondId && e.status === 'deleted'));

    await new Promise((r) => setTimeout(r, 200));
    expect(agentSeen.events).toEqual([]);
  });
});
