import { useQuery } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { callCenterKeys } from '../api/query-keys';
import { createSoftphoneCredentials, getTelephony, recordCallSignal } from '../api/telephony-api';
import { serialReports } from './serial-reports';
import type { Softphone, SoftphoneSnapshot } from './softphone';

const SoftphoneContext = createContext<Softphone | null>(null);

/**
 * The agent's softphone while they are signed into a shift, when the product runs with a SIP
 * server (getTelephony says sip); none otherwise, and the screens keep the tel: link.
 */
export function SoftphoneProvider({ active, children }: { active: boolean; children: ReactNode }) {
  const telephony = useQuery({
    queryKey: callCenterKeys.telephony,
    queryFn: ({ signal }) => getTelephony(signal),
    staleTime: Infinity,
  });
  const sip = active && telephony.data?.mode === 'sip';
  const [phone, setPhone] = useState<Softphone | null>(null);
  useEffect(() => {
    if (!sip) return;
    let cancelled = false;
    let started: Softphone | null = null;
    const report = serialReports(recordCallSignal);
    // The SIP library loads only where there is a phone system (its own chunk).
    void import('./softphone').then(({ Softphone }) => {
      if (cancelled) return;
      started = new Softphone({
        credentials: createSoftphoneCredentials,
        // In order per call (serialReports): a quick busy must not overtake its dialled.
        report: (callId, signal) => void report(callId, signal),
      });
      setPhone(started);
      void started.start();
    });
    return () => {
      cancelled = true;
      started?.stop();
      setPhone(null);
    };
  }, [sip]);
  return <SoftphoneContext value={phone}>{children}</SoftphoneContext>;
}

const OFF: SoftphoneSnapshot = { registration: { state: 'off' }, line: { state: 'idle' }, incoming: null };
const noSubscription = () => () => undefined;
const offSnapshot = () => OFF;

/** The softphone (null: no phone system) and what it shows now. */
export function useSoftphone(): { phone: Softphone | null; snapshot: SoftphoneSnapshot } {
  const phone = useContext(SoftphoneContext);
  const snapshot = useSyncExternalStore(phone?.subscribe ?? noSubscription, phone?.snapshot ?? offSnapshot);
  return { phone, snapshot };
}
