import type { NextDonorResponse } from '@engage/contracts';
import { createContext, useContext } from 'react';

/** What the Call Center page shares with its parts: one "next donor" request for the whole page. */
export interface DialerControls {
  /**
   * Ask for the next donor; resolves with the answer, or undefined when it failed (already shown)
   * or the shift takes no donors (its job role takes inbound calls only: nothing is asked).
   */
  requestNext: () => Promise<NextDonorResponse | undefined>;
  /** The shift's job role takes outbound work (donors); false: inbound calls only. */
  takesDonors: boolean;
  /** A next-donor request is in flight. */
  nextPending: boolean;
  /** Open the dialer popup to choose a team and campaign. */
  openDialer: () => void;
  /** A page-level modal or drawer (dialer, Take Break, Calls) is open: shortcuts are off. */
  overlayOpen: boolean;
}

export const DialerContext = createContext<DialerControls | null>(null);

export function useDialer(): DialerControls {
  const controls = useContext(DialerContext);
  if (controls === null) throw new Error('useDialer must be used inside the Call Center page');
  return controls;
}
