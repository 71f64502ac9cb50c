import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { EngageEvent } from '@engage/contracts';
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
 */
export const eventsRoutes: FastifyPluginAsyncZod<{ hub: RealtimeHub; floor: FloorService; auth: AuthService }> = async (
  app,
  { hub, floor, auth },
) => {
  const open = new Set<() => void>();
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
      const end = () => {
        if (!open.has(end)) return;
        clearInterval(ping);
        unsubscribe();
        stopWatching();
        open.delete(end);
        res.end();
      };
      open.add(end);
      req.raw.on('close', end);
    },
  );
};
