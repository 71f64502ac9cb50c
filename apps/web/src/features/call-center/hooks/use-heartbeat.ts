import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { isUnauthenticated } from '../../../lib/api-error';
import { meQueryKey } from '../../../lib/session';
import { sendHeartbeat } from '../api/shift-api';

const HEARTBEAT_INTERVAL_MS = 15_000;

/**
 * While a shift is open, tells the server every 15 s that this browser is still here (the server
 * releases a held donor when the beats stop). Failures are ignored, except a lost session.
 */
export function useHeartbeat(shiftOpen: boolean): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!shiftOpen) return;
    const beat = () => {
      sendHeartbeat().catch((error: unknown) => {
        if (isUnauthenticated(error)) queryClient.setQueryData(meQueryKey, null);
      });
    };
    beat();
    const id = window.setInterval(beat, HEARTBEAT_INTERVAL_MS);
    return () => window.clearInterval(id);
  }, [shiftOpen, queryClient]);
}
