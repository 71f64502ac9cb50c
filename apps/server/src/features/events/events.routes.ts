import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { EngageEvent } from '@engage/contracts';
import { currentUser } from '../../lib/guard';
import type { RealtimeHub } from '../../lib/realtime';
import type { FloorService } from '../floor/floor.service';

/**
 * Server-Sent Events: each browser keeps one stream open and receives the events it may see.
 * Events carry ids only; the page re-reads what changed through the ordinary API.
 */
export const eventsRoutes: FastifyPluginAsyncZod<{ hub: RealtimeHub; floor: FloorService }> = async (
  app,
  { hub, floor },
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
      const allowed = await floor.eventFilter(currentUser(req));
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
        if (allowed(e)) res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
      };
      const unsubscribe = hub.subscribe(send);
      const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
      const end = () => {
        clearInterval(ping);
        unsubscribe();
        open.delete(end);
        res.end();
      };
      open.add(end);
      req.raw.on('close', end);
    },
  );
};
