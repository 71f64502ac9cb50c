import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { EngageEvent } from '@engage/contracts';
import { AppError, errorBody } from '../../lib/errors';
import { currentUser } from '../../lib/guard';
import type { RealtimeHub } from '../../lib/realtime';
import type { AuthService } from '../auth/auth.service';
import type { FloorService } from '../floor/floor.service';

/**
 * Server-Sent Events: each browser keeps one stream open and receives the events it may see, as
 * it may see them (the floor's rules: another team's work is only "busy elsewhere").
 * Events carry ids only; the page re-reads what changed through the ordinary API.
 * A stream ends when its session does (sign-out, disabled account, password reset, on any
 * instance) or its user's role changes: the browser reconnects, and the guard decides again.
 * When the teams its user leads or their members change, it reads its filter again.
 *
 * Each stream holds a socket: an instance keeps at most EVENTS_MAX_STREAMS open (more are refused
 * with 503 too_many_streams and Retry-After), and a user EVENTS_MAX_STREAMS_PER_USER, their newest
 * ones: opening one more closes their oldest with a `closed` event (the error shape) that tells
 * the browser not to reconnect there.
 */
export const eventsRoutes: FastifyPluginAsyncZod<{
  hub: RealtimeHub;
  floor: FloorService;
  auth: AuthService;
  limits: { maxStreams: number; maxStreamsPerUser: number };
}> = async (app, { hub, floor, auth, limits }) => {
  const open = new Set<() => void>();
  /** Each user's open streams on this instance, oldest first; an entry ends its stream. */
  const ofUser = new Map<number, ((closing?: string) => void)[]>();
  const replaced = (perUser: number) =>
    `Live updates moved to a newer tab or window: you have ${perUser} open, the most one person keeps. Reload this page to get them here again.`;
  app.addHook('onClose', async () => {
    for (const end of open) end();
  });

  app.get(
    '/api/events',
    {
      config: { access: 'agent' },
      logLevel: 'warn',
      schema: {
        operationId: 'streamEvents',
        tags: ['events'],
        summary: 'Server-Sent Events stream (text/event-stream) of real-time events you may see',
      },
    },
    async (req, reply) => {
      const me = currentUser(req);
      const tokenHash = req.sessionTokenHash ?? '';
      let view = await floor.eventView(me);
      // From here to registering the stream nothing waits, so the counts cannot change meanwhile.
      const mine = ofUser.get(me.id) ?? [];
      // A user at their own limit replaces a stream of theirs, so the total does not grow.
      if (open.size >= limits.maxStreams && mine.length < limits.maxStreamsPerUser) {
        throw new AppError(
          'too_many_streams',
          `This server has ${open.size} live-update streams open, the most it keeps. The page works without them; reload it in a minute to get live updates again.`,
          { headers: { 'retry-after': '30' } },
        );
      }
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': req.id,
      });
      res.write('retry: 3000\n\n');
      const send = (e: EngageEvent) => {
        const seen = view(e);
        if (seen) res.write(`event: ${seen.type}\ndata: ${JSON.stringify(seen)}\n\n`);
      };
      const unsubscribe = hub.subscribe(send);
      const stopWatching = hub.onSessionsChanged((changed) => {
        if (changed !== 'all' && !changed.includes(me.id)) return;
        auth.forgetUsers([me.id]);
        auth
          .resolveSessionByHash(tokenHash)
          .then(async (found) => {
            if (found.status !== 'valid' || found.user.role !== me.role) return end();
            view = await floor.eventView(me);
          })
          .catch(() => end());
      });
      const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
      const end = (closing?: string) => {
        if (!open.has(end)) return;
        clearInterval(ping);
        unsubscribe();
        stopWatching();
        open.delete(end);
        mine.splice(mine.indexOf(end), 1);
        if (mine.length === 0) ofUser.delete(me.id);
        if (closing) {
          // Not to be reopened at once: a client that ignores `closed` waits a minute to reconnect.
          const body = errorBody('too_many_streams', closing, req.id);
          res.write(`retry: 60000\nevent: closed\ndata: ${JSON.stringify(body)}\n\n`);
        }
        res.end();
      };
      open.add(end);
      mine.push(end);
      ofUser.set(me.id, mine);
      while (mine.length > limits.maxStreamsPerUser) mine[0]!(replaced(limits.maxStreamsPerUser));
      req.raw.on('close', () => end());
    },
  );
};
