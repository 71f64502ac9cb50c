import type { ManagerCall } from '@engage/contracts';

/** Whom a call was with: the donor, or for an inbound caller not linked to one, "New caller" and their number. */
export function callerLabel(call: Pick<ManagerCall, 'donor' | 'phoneDialled'>): string {
  if (call.donor) return call.donor.name;
  return call.phoneDialled ? `New caller ${call.phoneDialled}` : 'New caller (number withheld)';
}
