import pg from 'pg';
import { engageEventSchema, type EngageEvent } from '@engage/contracts';
import type { PgClient } from './tx';

export const EVENTS_CHANNEL = 'engage_events';

export interface RealtimeHub {
  subscribe(listener: (e: EngageEvent) => void): () => void;
  close(): Promise<void>;
}

/**
 * Publishes an event inside the caller's transaction: PostgreSQL delivers it to every listening
 * instance when (and only if) the transaction commits.
 */
export async function publish(c: PgClient, event: EngageEvent): Promise<void> {
  await c.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, JSON.stringify(event)]);
}

/**
 * One LISTEN connection per instance fans events out to this instance's SSE subscribers. It
 * reconnects by itself if the database connection drops.
 */
export function startRealtimeHub(url: string, log: { warn: (o: object, msg: string) => void }): RealtimeHub {
  const listeners = new Set<(e: EngageEvent) => void>();
  let client: pg.Client | null = null;
  let closed = false;
  let retryTimer: NodeJS.Timeout | null = null;

  const connect = async () => {
    const c = new pg.Client({ connectionString: url, application_name: 'engage-events' });
    c.on('notification', (msg) => {
      if (msg.channel !== EVENTS_CHANNEL || !msg.payload) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(msg.payload);
      } catch {
        return;
      }
      const event = engageEventSchema.safeParse(parsed);
      if (!event.success) return;
      for (const l of listeners) l(event.data);
    });
    c.on('error', (err) => {
      log.warn({ err }, 'event listener connection lost; reconnecting');
      void c.end().catch(() => {});
      if (client === c) client = null;
      scheduleReconnect();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${EVENTS_CHANNEL}`);
      if (closed) {
        await c.end();
        return;
      }
      client = c;
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
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      listeners.clear();
      await client?.end().catch(() => {});
    },
  };
}
