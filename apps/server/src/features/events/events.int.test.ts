import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app';
import { signedIn } from '../../../test/agent';
import { createSettings } from '../../../test/dialer-factories';

/** Live-event streams hold a socket each: an instance and a user keep only so many open. */
let t: TestApp;
let baseUrl: string;
let jobRoleId: number;
const streams: Stream[] = [];

beforeAll(async () => {
  t = await createTestApp({ env: { EVENTS_MAX_STREAMS: '4', EVENTS_MAX_STREAMS_PER_USER: '2' } });
  jobRoleId = (await createSettings(t.database.db)).jobRoleId;
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const s of streams) s.close();
  await t.app.close();
});

interface Stream {
  status: number;
  body: unknown;
  retryAfter: string | null;
  /** Reads until a block whose `event:` is `name` arrives (its data), the stream ends ('ended'), or `ms` pass (null). */
  next(name: string, ms: number): Promise<unknown>;
  close(): void;
}

async function open(cookie: string): Promise<Stream> {
  const controller = new AbortController();
  const res = await fetch(`${baseUrl}/api/events`, { headers: { cookie }, signal: controller.signal });
  const close = () => controller.abort();
  if (res.status !== 200) {
    const body: unknown = await res.json();
    return { status: res.status, body, retryAfter: res.headers.get('retry-after'), next: async () => 'ended', close };
  }
  const reader = res.body!.getReader();
  await reader.read(); // the first bytes: the stream is open and subscribed
  const decoder = new TextDecoder();
  let buffer = '';
  let ended = false;
  const stream: Stream = {
    status: 200,
    body: null,
    retryAfter: null,
    async next(name, ms) {
      const until = performance.now() + ms;
      for (;;) {
        const blocks = buffer.split('\n\n');
        buffer = blocks.pop() ?? '';
        for (const block of blocks) {
          const lines = block.split('\n');
          if (lines.includes(`event: ${name}`)) {
            const data = lines.find((l) => l.startsWith('data: '));
            return data ? (JSON.parse(data.slice(6)) as unknown) : null;
          }
        }
        if (ended) return 'ended';
        const left = until - performance.now();
        if (left <= 0) return null;
        const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), left))]);
        if (chunk === null) return null;
        if (chunk.done) ended = true;
        else buffer += decoder.decode(chunk.value, { stream: true });
      }
    },
    close,
  };
  streams.push(stream);
  return stream;
}

describe('event streams', () => {
  it('one user keeps their newest two: opening a tenth closes the oldest with a `closed` event that says why', async () => {
    const agent = await signedIn(t.app, t.database);
    const opened: Stream[] = [];
    for (let i = 0; i < 10; i++) {
      const s = await open(agent.cookie);
      expect(s.status).toBe(200);
      opened.push(s);
    }
    for (const old of opened.slice(0, 8)) {
      expect(await old.next('closed', 5000)).toMatchObject({
        code: 'too_many_streams',
        message: expect.stringMatching(
          /^Live updates moved to a newer tab or window: you have 2 open.*Reload this page/,
        ),
        requestId: expect.any(String),
      });
      expect(await old.next('never', 5000)).toBe('ended');
    }
    // The two newest still carry the user's events.
    await agent.openShift(jobRoleId);
    for (const s of opened.slice(8)) {
      expect(await s.next('shift.changed', 5000)).toMatchObject({ agentId: agent.user.id, state: 'signed_in' });
    }
    for (const s of opened) s.close();
  });

  it('an instance keeps EVENTS_MAX_STREAMS: one more is refused with 503 and when to retry, unless it replaces its user’s own', async () => {
    const [a, b, c] = [
      await signedIn(t.app, t.database),
      await signedIn(t.app, t.database),
      await signedIn(t.app, t.database),
    ];
    // Earlier streams of this file must have closed on the server: wait until four can open.
    const held = [await open(a.cookie), await open(a.cookie), await open(b.cookie)];
    let fourth = await open(b.cookie);
    for (let i = 0; fourth.status !== 200 && i < 50; i++) {
      await new Promise((r) => setTimeout(r, 100));
      fourth = await open(b.cookie);
    }
    expect(held.map((s) => s.status)).toEqual([200, 200, 200]);
    expect(fourth.status).toBe(200);

    const refused = await open(c.cookie);
    expect(refused.status).toBe(503);
    expect(refused.retryAfter).toBe('30');
    expect(refused.body).toMatchObject({
      code: 'too_many_streams',
      message: expect.stringMatching(/^This server has 4 live-update streams open.*reload it in a minute/),
      requestId: expect.any(String),
    });

    // A user at their own limit replaces their oldest: the total does not grow.
    const replacing = await open(a.cookie);
    expect(replacing.status).toBe(200);
    expect(await held[0]!.next('closed', 5000)).toMatchObject({ code: 'too_many_streams' });

    fourth.close();
    let later = await open(c.cookie);
    for (let i = 0; later.status !== 200 && i < 50; i++) {
      await new Promise((r) => setTimeout(r, 100));
      later = await open(c.cookie);
    }
    expect(later.status).toBe(200);
  });
});
