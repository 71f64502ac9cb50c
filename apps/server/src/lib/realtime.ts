import pg from 'pg';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { engageEventSchema, type EngageEvent } from '@engage/contracts';

export const EVENTS_CHANNEL = 'engage_events';
/** Whose sessions changed (migration 0007's triggers): a JSON array of user ids, or "*". */
export const SESSIONS_CHANNEL = 'engage_sessions';

export type SessionsChanged = number[] | 'all';

export interface RealtimeHub {
  subscribe(listener: (e: EngageEvent) => void): () => void;
  /** Sessions ended or users changed on any instance; 'all' after the listener lost its connection. */
  onSessionsChanged(listener: (changed: SessionsChanged) => void): () => void;
  /** Whether changes are heard now; a cache that relies on them must not be used otherwise. */
  listening(): boolean;
  close(): Promise<void>;
}

function parseSessionsChanged(payload: string): SessionsChanged {
  try {
    const parsed: unknown = JSON.parse(payload);
    if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'number')) return parsed;
  } catch {
    // fall through: when in doubt, forget everything
  }
  return 'all';
}

/** NOTIFY payloads must stay under 8,000 bytes: events are sent in JSON arrays below this size. */
const MAX_PAYLOAD_BYTES = 7_000;

export interface EventSender {
  /** Queues an event of a transaction that has committed; it is sent with the next batch. */
  send(event: EngageEvent): void;
  /** Resolves when everything queued so far has been sent. */
  flush(): Promise<void>;
}

/**
 * Sends events that belong to committed transactions, batched: one NOTIFY carries every event
 * queued while the previous one was on its way. A NOTIFY serialises commits across the whole
 * cluster (PostgreSQL takes a global lock until it is flushed), so the dialer's hot path never
 * notifies inside its own transaction; at load this turns thousands of notifying commits a second
 * into a few dozen. An event is lost only if the instance dies between commit and send; every
 * screen reloads its data when its stream reconnects, and events carry ids, never the data.
 */
export function createEventSender(db: Db, log: { warn: (o: object, msg: string) => void }): EventSender {
  const notifyBatch = db
    .select({ sent: sql`pg_notify(${sql.placeholder('channel')}, p)` })
    .from(sql`unnest(${sql.placeholder('payloads')}::text[]) AS p`)
    .prepare('realtime_notify_batch');
  let queued: string[] = [];
  let inFlight: Promise<void> | null = null;

  const sendQueued = async (): Promise<void> => {
    while (queued.length > 0) {
      const batch = queued;
      queued = [];
      const payloads: string[] = [];
      let current: string[] = [];
      let size = 2;
      for (const e of batch) {
        if (current.length > 0 && size + e.length + 1 > MAX_PAYLOAD_BYTES) {
          payloads.push(`[${current.join(',')}]`);
          current = [];
          size = 2;
        }
        current.push(e);
        size += e.length + 1;
      }
      payloads.push(`[${current.join(',')}]`);
      try {
        await notifyBatch.execute({ channel: EVENTS_CHANNEL, payloads });
      } catch (err) {
        log.warn({ err, events: batch.length }, 'could not send events; screens catch up when they reload');
      }
    }
  };

  const start = () => {
    inFlight ??= new Promise<void>((resolve) => setImmediate(resolve)).then(sendQueued).finally(() => {
      inFlight = null;
      if (queued.length > 0) void start();
    });
    return inFlight;
  };

  return {
    send(event) {
      queued.push(JSON.stringify(event));
      void start();
    },
    async flush() {
      while (inFlight || queued.length > 0) await start();
    },
  };
}

function parseEvents(payload: string): EngageEvent[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return [];
  }
  const out: EngageEvent[] = [];
  for (const item of Array.isArray(parsed) ? parsed : [parsed]) {
    const event = engageEventSchema.safeParse(item);
    if (event.success) out.push(event.data);
  }
  return out;
}

/**
 * One LISTEN connection per instance fans events out to this instance's SSE subscribers. It
 * reconnects by itself if the database connection drops.
 */
export function startRealtimeHub(url: string, log: { warn: (o: object, msg: string) => void }): RealtimeHub {
  const listeners = new Set<(e: EngageEvent) => void>();
  const sessionListeners = new Set<(changed: SessionsChanged) => void>();
  let client: pg.Client | null = null;
  let connectedBefore = false;
  let closed = false;
  let retryTimer: NodeJS.Timeout | null = null;

  const connect = async () => {
    const c = new pg.Client({ connectionString: url, application_name: 'engage-events' });
    c.on('notification', (msg) => {
      if (msg.channel === SESSIONS_CHANNEL) {
        const changed = parseSessionsChanged(msg.payload ?? '');
        for (const l of sessionListeners) l(changed);
        return;
      }
      if (msg.channel !== EVENTS_CHANNEL || !msg.payload) return;
      for (const event of parseEvents(msg.payload)) for (const l of listeners) l(event);
    });
    c.on('error', (err) => {
      log.warn({ err }, 'event listener connection lost; reconnecting');
      void c.end().catch(() => {});
      if (client === c) client = null;
      for (const l of sessionListeners) l('all');
      scheduleReconnect();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${EVENTS_CHANNEL}; LISTEN ${SESSIONS_CHANNEL}`);
      if (closed) {
        await c.end();
        return;
      }
      client = c;
      // Whatever changed while this instance was not listening is unknown: forget every session.
      if (connectedBefore) for (const l of sessionListeners) l('all');
      connectedBefore = true;
    } catch (err) {
      log.warn({ err }, 'could not listen for events; retrying');
      void c.end().catch(() => {});
      scheduleReconnect();
    }
  };
  const scheduleReconnect = () => {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void connect();
    }, 1000);
    retryTimer.unref();
  };
  void connect();

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    listening: () => client !== null,
    onSessionsChanged(listener) {
      sessionListeners.add(listener);
      return () => sessionListeners.delete(listener);
    },
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      listeners.clear();
      sessionListeners.clear();
      await client?.end().catch(() => {});
    },
  };
}
