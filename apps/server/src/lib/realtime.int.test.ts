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
    const sender = createEventSender(database.db, { warn: () => {} });
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

describe('the LISTEN connection', () => {
  it('comes back by itself when the server ends it, and meanwhile tells session caches to forget everything', async () => {
    const warnings: string[] = [];
    const hub = startRealtimeHub(database.url, { warn: (_o, msg) => warnings.push(msg) });
    const heard: EngageEvent[] = [];
    const forgot: unknown[] = [];
    hub.subscribe((e) => heard.push(e));
    hub.onSessionsChanged((changed) => forgot.push(changed));
    const until = async (what: string, check: () => boolean) => {
      const deadline = Date.now() + 10_000;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    try {
      await until('it listens', () => hub.listening());
      await listener.query(
        `select pg_terminate_backend(pid) from pg_stat_activity
          where application_name = 'engage-events' and datname = current_database()`,
      );
      await until('it noticed', () => !hub.listening());
      expect(forgot).toContain('all');
      expect(warnings.join('\n')).toMatch(/reconnecting/);
      await until('it listens again', () => hub.listening());

      const sender = createEventSender(database.db, { warn: () => {} });
      sender.send(shiftEvent(7));
      await sender.flush();
      await until('the event arrived', () => heard.length > 0);
      expect(heard).toEqual([shiftEvent(7)]);
    } finally {
      await hub.close();
    }
  });
});
