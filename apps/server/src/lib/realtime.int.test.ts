import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngageEvent } from '@engage/contracts';
import type { Database } from '../db/client';
import { createTestDatabase } from '../../test/db';
import { createEventSender, EVENTS_CHANNEL, startRealtimeHub } from './realtime';

let database: Database;
let listener: pg.Client;
const payloads: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  listener = new pg.Client({ connectionString: database.url });
  await listener.connect();
  listener.on('notification', (m) => payloads.push(m.payload ?? ''));
  await listener.query(`LISTEN ${EVENTS_CHANNEL}`);
});
afterAll(async () => {
  await listener.end();
});

const shiftEvent = (i: number): EngageEvent => ({
  type: 'shift.changed',
  agentId: i,
  shiftId: 10_000 + i,
  teamId: 1,
  campaignId: 2,
  state: 'previewing',
  at: '2026-11-21T10:00:00.000Z',
});

describe('events sent after commit', () => {
  it('arrive every one, in order, a batch per NOTIFY under the size limit', async () => {
    const sender = createEventSender(database.pool, { warn: () => {} });
    const hub = startRealtimeHub(database.url, { warn: () => {} });
    const heard: EngageEvent[] = [];
    hub.subscribe((e) => heard.push(e));
    while (!hub.listening()) await new Promise((r) => setTimeout(r, 10));

    for (let i = 1; i <= 600; i++) sender.send(shiftEvent(i));
    await sender.flush();
    const until = Date.now() + 2000;
    while (heard.length < 600 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    await hub.close();

    expect(heard.map((e) => (e.type === 'shift.changed' ? e.agentId : 0))).toEqual(
      Array.from({ length: 600 }, (_, i) => i + 1),
    );
    // ~200 bytes an event: a few dozen a NOTIFY, each payload below PostgreSQL's 8,000-byte limit.
    expect(payloads.length).toBeGreaterThan(1);
    expect(payloads.length).toBeLessThan(60);
    for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThan(8000);
  });
});
