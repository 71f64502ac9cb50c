import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { engageEventSchema, errorResponseSchema } from '@engage/contracts';
import { errorTitle } from './error-title';
import { notifyReminder, notifyWarning } from './notify';
import { useCurrentUser } from './session';
import { formatClock } from './time';

/** After the server refused a stream (e.g. 503 too_many_streams), when to try again. */
const REOPEN_AFTER_MS = 30_000;

/**
 * The floor is re-read at most once this long after the first of a burst of events: with a
 * thousand agents and calls arriving every second, a screen reads it once per burst, not per event.
 */
export const FLOOR_READ_DELAY_MS = 300;

/**
 * One Server-Sent Events stream per signed-in tab (GET /api/events). Events carry ids only: the
 * matching queries are invalidated and re-read through the API. EventSource reconnects by itself
 * when a stream drops, but not when the server refuses one: then it is opened again after a while.
 * A `closed` event (a newer tab of the same person took the stream's place) ends it for good.
 */
export function useLiveEvents(): void {
  const queryClient = useQueryClient();
  const me = useCurrentUser();
  useEffect(() => {
    let source: EventSource;
    let reopen: ReturnType<typeof setTimeout> | undefined;
    let floorRead: ReturnType<typeof setTimeout> | undefined;
    const readFloorSoon = () => {
      floorRead ??= setTimeout(() => {
        floorRead = undefined;
        void queryClient.invalidateQueries({ queryKey: ['floor'] });
      }, FLOOR_READ_DELAY_MS);
    };
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
          readFloorSoon();
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
        case 'import.changed':
          // The list's imports table and the import's progress (keys of features/lists' listsKeys).
          void queryClient.invalidateQueries({ queryKey: ['lists', e.listId, 'imports'] });
          void queryClient.invalidateQueries({ queryKey: ['lists', 'import', e.importId] });
          break;
        case 'inbound.changed':
          // A line's queue on the floor (callers waiting, longest wait, agents free).
          readFloorSoon();
          break;
      }
    };
    const onClosed = (msg: MessageEvent<string>) => {
      source.close();
      let parsed: unknown;
      try {
        parsed = JSON.parse(msg.data);
      } catch {
        parsed = null;
      }
      const why = errorResponseSchema.safeParse(parsed);
      if (why.success) notifyWarning(errorTitle(why.data.code), why.data.message);
    };
    const open = () => {
      source = new EventSource('/api/events');
      source.addEventListener('shift.changed', onEvent);
      source.addEventListener('appointment.due', onEvent);
      source.addEventListener('import.changed', onEvent);
      source.addEventListener('inbound.changed', onEvent);
      source.addEventListener('closed', onClosed);
      source.onerror = () => {
        if (source.readyState === EventSource.CLOSED) reopen = setTimeout(open, REOPEN_AFTER_MS);
      };
    };
    open();
    return () => {
      clearTimeout(reopen);
      clearTimeout(floorRead);
      source.close();
    };
  }, [queryClient, me.id]);
}
