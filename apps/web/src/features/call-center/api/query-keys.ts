import type { CallScope } from '@engage/contracts';

/** TanStack Query keys of the Call Center. Every shift action sets or invalidates `shift`. */
export const callCenterKeys = {
  shift: ['shift'] as const,
  myCampaigns: ['me', 'campaigns'] as const,
  jobRoles: ['reasons', 'job-roles'] as const,
  skipReasons: ['reasons', 'skip'] as const,
  endReasons: ['reasons', 'end'] as const,
  breakReasons: ['reasons', 'break'] as const,
  donor: (donorId: number) => ['donor', donorId] as const,
  myCallsAll: ['me', 'calls'] as const,
  myCalls: (scope: CallScope) => ['me', 'calls', scope] as const,
  myAppointments: ['me', 'appointments'] as const,
  myInboundLines: ['me', 'inbound-lines'] as const,
  callerDonors: (callId: number, q: string) => ['inbound', 'caller-donors', callId, q] as const,
  telephony: ['telephony'] as const,
};
