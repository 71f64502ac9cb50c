import { DatePickerInput } from '@mantine/dates';

export type DateRange = [string | null, string | null];

/**
 * The Date filter of the managers' lists: the picker shows what is being chosen (`value`, kept by
 * the page so that its reset clears it too); the filter applies once both ends are chosen, or when
 * the picker is cleared.
 */
export function DateRangeFilter({
  value,
  onPick,
  onApply,
}: {
  value: DateRange;
  onPick: (range: DateRange) => void;
  onApply: (from: string | null, to: string | null) => void;
}) {
  return (
    <DatePickerInput
      type="range"
      label="Date"
      placeholder="Any date"
      value={value}
      onChange={([from, to]) => {
        onPick([from, to]);
        if ((from === null) === (to === null)) onApply(from, to);
      }}
      allowSingleDateInRange
      clearable
      valueFormat="D MMM YYYY"
      w={230}
      data-testid="filter-dates"
    />
  );
}
