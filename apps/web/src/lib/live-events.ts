import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { engageEventSchema, type EngageEvent } from '@engage/contracts';
import { notifyReminder } from './notify';
import { useCurrentUser } from './session';
import { formatClock } from './time';

type Listener = (e: EngageEvent) => void;
const listeners = new Set<Listener>();

/** Lets a page react to one kind of event beyond query invalidation (e.g. a reminder popup). */
export function useLiveEvent(listener: Listener): void {
  useEffect(() => {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, [listener]);
}

/**
 * One Server-Sent Events stream per signed-in tab (GET /api/events). Events carry ids only: the
 * matching queries are invalidated and re-read through the API. EventSource reconnects by itself.
 */
export function useLiveEvents(): void {
  const queryClient = useQueryClient();
  const me = useCurrentUser();
  useEffect(() => {
    const source = new EventSource('/api/events');
    const onEvent = (msg: MessageEvent<string>) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(msg.data);
      } catch {
        return;
      }
      const result = engageEventSchema.safeParse(parsed);
      if (!result.success) return;
      const e = result.data;
      switch (e.type) {
        case 'shift.changed':
          void queryClient.invalidateQueries({ queryKey: ['floor'] });
          // A manager or the system may have changed the agent's own shift (ended the call, signed them out).
          if (e.agentId === me.id) void queryClient.invalidateQueries({ queryKey: ['shift'] });
          if (e.campaignId !== null) void queryClient.invalidateQueries({ queryKey: ['campaign', e.campaignId] });
          break;
        case 'appointment.due':
          void queryClient.invalidateQueries({ queryKey: ['me', 'appointments'] });
          void queryClient.invalidateQueries({ queryKey: ['appointments'] });
          if (e.agentId === me.id) {
            notifyReminder(
              'Call-back due',
              `${e.donorName}, booked for ${formatClock(e.scheduledAt)}. They come first in your dialer.`,
            );
          }
          break;
      }
      for (const l of listeners) l(e);
    };
    source.addEventListener('shift.changed', onEvent);
    source.addEventListener('appointment.due', onEvent);
    return () => source.close();
  }, [queryClient, me.id]);
}
