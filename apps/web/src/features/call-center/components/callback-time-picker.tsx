import { Stack } from '@mantine/core';
import { DateTimePicker } from '@mantine/dates';
import dayjs from 'dayjs';
import { BothZones } from '../../../components/both-zones';
import { callingHoursHint } from '../../../components/calling-hours-display';
import { pickerInstant, type CallbackTimePickerProps } from './callback-time';

/**
 * A call-back date and time picked in the agent's zone, with the calling hours (the donor's time)
 * and the chosen instant shown in both zones. `testIdPrefix` names the picker ("-at") and the
 * zones ("-zones").
 */
export default function CallbackTimePicker({
  value,
  onChange,
  error,
  donorTimeZone,
  rules,
  testIdPrefix,
  label = 'Call back at',
}: CallbackTimePickerProps) {
  const iso = pickerInstant(value);
  return (
    <Stack gap="xs">
      <DateTimePicker
        label={label}
        placeholder="Choose a date and time"
        withAsterisk
        value={value}
        onChange={onChange}
        minDate={dayjs().format('YYYY-MM-DD')}
        valueFormat="ddd D MMM YYYY, HH:mm"
        description={callingHoursHint(iso, donorTimeZone, rules)}
        error={error}
        clearable
        data-testid={`${testIdPrefix}-at`}
      />
      {iso !== null && <BothZones at={iso} donorTimeZone={donorTimeZone} rules={rules} testIdPrefix={testIdPrefix} />}
    </Stack>
  );
}
