import { Loader } from '@mantine/core';
import dayjs from 'dayjs';
import { lazy, Suspense } from 'react';
import type { DonorCallingRules } from '../../../components/calling-hours-display';

/** The picker's value ("YYYY-MM-DD HH:mm:ss" in the agent's zone) as an ISO instant. */
export function pickerInstant(value: string | null): string | null {
  return value ? dayjs(value).toISOString() : null;
}

export interface CallbackTimePickerProps {
  value: string | null;
  onChange: (value: string | null) => void;
  error?: string | undefined;
  donorTimeZone: string;
  /** What marks a chosen time outside the donor's calling hours; null while it loads. */
  rules: DonorCallingRules | null;
  testIdPrefix: string;
  label?: string;
}

// The date picker (@mantine/dates) is loaded only when a call-back is booked: the agent's screen
// stays light for the calls that book none.
const Picker = lazy(() => import('./callback-time-picker'));

/** A call-back date and time picked in the agent's zone, shown in both zones (see callback-time-picker). */
export function CallbackTimePicker(props: CallbackTimePickerProps) {
  return (
    <Suspense fallback={<Loader size="sm" />}>
      <Picker {...props} />
    </Suspense>
  );
}
