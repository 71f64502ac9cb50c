import { DatePickerInput } from '@mantine/dates';
import { datePresets } from '../lib/date-presets';

export type DateRange = [string | null, string | null];

/**
 * The date filter of the managers' lists: the picker shows what is being chosen (`value`, kept by
 * the page so that its reset clears it too); the filter applies once both ends are chosen, a
 * preset is picked, or the picker is cleared.
 */
export function DateRangeFilter({
  value,
  onPick,
  onApply,
  label = 'Date',
  testId = 'filter-dates',
}: {
  value: DateRange;
  onPick: (range: DateRange) => void;
  onApply: (from: string | null, to: string | null) => void;
  label?: string;
  testId?: string;
}) {
  return (
    <DatePickerInput
      type="range"
      label={label}
      placeholder="Any date"
      value={value}
      onChange={([from, to]) => {
        onPick([from, to]);
        if ((from === null) === (to === null)) onApply(from, to);
      }}
      presets={datePresets()}
      allowSingleDateInRange
      clearable
      valueFormat="D MMM YYYY"
      w={230}
      data-testid={testId}
    />
  );
}
