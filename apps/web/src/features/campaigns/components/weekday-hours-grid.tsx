import { dayHoursSchema, WEEKDAYS } from '@engage/contracts';
import type { WeekdayHours } from '@engage/contracts';
import { Button, Checkbox, Group, Table, Text } from '@mantine/core';
import { TimeInput } from '@mantine/dates';
import { useState } from 'react';
import { schemaMessage } from '../../../lib/form-validation';

/** One weekday's row in the form: "until 00:00" means midnight (the API's 24:00). */
export interface DayRow {
  open: boolean;
  start: string;
  end: string;
}

/** The API's 24:00 (midnight) shows as 00:00 in a time picker, and back. */
export const endToPicker = (end: string) => (end === '24:00' ? '00:00' : end);
export const endFromPicker = (end: string) => (end === '00:00' ? '24:00' : end);

/** What is wrong with one day's hours, if anything. */
/** The form's rows as the API's weekdayHours (null: no calls that day). */
export function toWeekdayHours(days: readonly DayRow[]): WeekdayHours {
  return days.map((d) => (d.open ? { start: d.start, end: endFromPicker(d.end) } : null));
}

/** What is wrong with one open day's hours, as the contracts' schema says it; null when fine. */
export function dayError(d: DayRow): string | null {
  return d.open ? schemaMessage(dayHoursSchema, { start: d.start, end: endFromPicker(d.end) }) : null;
}

/**
 * Calling hours per weekday, Monday first: a row per day with "Calls" and two time pickers, and a
 * row to give every day the same hours. Test ids: `campaign-day-<n>` (n 1..7) with
 * `-open`, `-start`, `-end`; `campaign-hours-start`, `campaign-hours-end`, `campaign-hours-apply`.
 */
export function WeekdayHoursGrid({
  days,
  onChange,
  errors,
}: {
  days: DayRow[];
  onChange: (days: DayRow[]) => void;
  errors: (string | null)[];
}) {
  const [all, setAll] = useState({ start: '09:00', end: '20:00' });
  const set = (i: number, patch: Partial<DayRow>) => onChange(days.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  return (
    <div data-testid="campaign-weekday-hours">
      <Text size="sm" fw={500}>
        Calling hours, in the donor&apos;s own time zone
      </Text>
      <Text size="xs" c="dimmed" mb="xs">
        Until 00:00 means until midnight. The organisation&apos;s legal calling window still applies.
      </Text>
      <Table withRowBorders={false} verticalSpacing={4} horizontalSpacing="xs">
        <Table.Tbody>
          {WEEKDAYS.map((day, i) => {
            const d = days[i]!;
            const n = i + 1;
            return (
              <Table.Tr key={day} data-testid={`campaign-day-${n}`}>
                <Table.Td w={110}>
                  <Checkbox
                    label={day}
                    checked={d.open}
                    onChange={(e) => set(i, { open: e.currentTarget.checked })}
                    data-testid={`campaign-day-${n}-open`}
                  />
                </Table.Td>
                <Table.Td>
                  {d.open ? (
                    <Group gap="xs" wrap="nowrap">
                      <TimeInput
                        aria-label={`${day} from`}
                        value={d.start}
                        onChange={(e) => set(i, { start: e.currentTarget.value })}
                        data-testid={`campaign-day-${n}-start`}
                        w={120}
                      />
                      <Text size="sm">to</Text>
                      <TimeInput
                        aria-label={`${day} until`}
                        value={d.end}
                        onChange={(e) => set(i, { end: e.currentTarget.value })}
                        error={errors[i] ?? undefined}
                        data-testid={`campaign-day-${n}-end`}
                        w={120}
                      />
                    </Group>
                  ) : (
                    <Text size="sm" c="dimmed">
                      No calls
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      <Group gap="xs" mt="xs" align="end">
        <TimeInput
          label="Every day from"
          value={all.start}
          onChange={(e) => setAll({ ...all, start: e.currentTarget.value })}
          data-testid="campaign-hours-start"
          w={120}
        />
        <TimeInput
          label="until"
          value={all.end}
          onChange={(e) => setAll({ ...all, end: e.currentTarget.value })}
          data-testid="campaign-hours-end"
          w={120}
        />
        <Button
          variant="default"
          onClick={() => onChange(days.map(() => ({ open: true, start: all.start, end: all.end })))}
          data-testid="campaign-hours-apply"
        >
          Apply to every day
        </Button>
      </Group>
    </div>
  );
}
