import { dayHoursSchema, WEEKDAYS } from '@engage/contracts';
import type { WeekdayHours } from '@engage/contracts';
import { Button, Checkbox, Group, Table, Text } from '@mantine/core';
import { TimeInput } from '@mantine/dates';
import { useState } from 'react';
import { schemaMessage } from '../lib/form-validation';

/** One weekday's row in the form: "until 00:00" means midnight (the API's 24:00). */
export interface DayRow {
  open: boolean;
  start: string;
  end: string;
}

/** The API's 24:00 (midnight) shows as 00:00 in a time picker, and back. */
export const endToPicker = (end: string) => (end === '24:00' ? '00:00' : end);
export const endFromPicker = (end: string) => (end === '00:00' ? '24:00' : end);

/** The form's rows as the API's weekdayHours (null: no calls that day). */
export function toWeekdayHours(days: readonly DayRow[]): WeekdayHours {
  return days.map((d) => (d.open ? { start: d.start, end: endFromPicker(d.end) } : null));
}

/** The API's weekdayHours as the form's rows (a day without hours keeps `closedDay`'s times, for when it is ticked). */
export function toDayRows(
  weekdayHours: WeekdayHours,
  closedDay: { start: string; end: string } = { start: '09:00', end: '20:00' },
): DayRow[] {
  return weekdayHours.map((d) =>
    d ? { open: true, start: d.start, end: endToPicker(d.end) } : { open: false, ...closedDay },
  );
}

/** What is wrong with one open day's hours, as the contracts' schema says it; null when fine. */
export function dayError(d: DayRow): string | null {
  return d.open ? schemaMessage(dayHoursSchema, { start: d.start, end: endFromPicker(d.end) }) : null;
}

/**
 * Hours per weekday, Monday first: a row per day with a checkbox and two time pickers, and a row
 * to give every day the same hours. The campaigns' calling hours and the inbound lines' opening
 * hours (one grid, the same `weekdayHours` of the contracts). Test ids, with `testId` (default
 * `campaign`): `<testId>-day-<n>` (n 1..7) with `-open`, `-start`, `-end`; `<testId>-hours-start`,
 * `<testId>-hours-end`, `<testId>-hours-apply`.
 */
export function WeekdayHoursGrid({
  days,
  onChange,
  errors,
  title = "Calling hours, in the donor's own time zone",
  hint = "Until 00:00 means until midnight. The organisation's legal calling window still applies.",
  closedText = 'No calls',
  testId = 'campaign',
}: {
  days: DayRow[];
  onChange: (days: DayRow[]) => void;
  errors: (string | null)[];
  title?: string;
  hint?: string;
  /** What a day without hours reads as. */
  closedText?: string;
  testId?: string;
}) {
  const [all, setAll] = useState({ start: '09:00', end: '20:00' });
  const set = (i: number, patch: Partial<DayRow>) => onChange(days.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  return (
    <div data-testid={`${testId}-weekday-hours`}>
      <Text size="sm" fw={500}>
        {title}
      </Text>
      <Text size="xs" c="dimmed" mb="xs">
        {hint}
      </Text>
      <Table withRowBorders={false} verticalSpacing={4} horizontalSpacing="xs">
        <Table.Tbody>
          {WEEKDAYS.map((day, i) => {
            const d = days[i]!;
            const n = i + 1;
            return (
              <Table.Tr key={day} data-testid={`${testId}-day-${n}`}>
                <Table.Td w={110}>
                  <Checkbox
                    label={day}
                    checked={d.open}
                    onChange={(e) => set(i, { open: e.currentTarget.checked })}
                    data-testid={`${testId}-day-${n}-open`}
                  />
                </Table.Td>
                <Table.Td>
                  {d.open ? (
                    <Group gap="xs" wrap="nowrap">
                      <TimeInput
                        aria-label={`${day} from`}
                        value={d.start}
                        onChange={(e) => set(i, { start: e.currentTarget.value })}
                        data-testid={`${testId}-day-${n}-start`}
                        w={120}
                      />
                      <Text size="sm">to</Text>
                      <TimeInput
                        aria-label={`${day} until`}
                        value={d.end}
                        onChange={(e) => set(i, { end: e.currentTarget.value })}
                        error={errors[i] ?? undefined}
                        data-testid={`${testId}-day-${n}-end`}
                        w={120}
                      />
                    </Group>
                  ) : (
                    <Text size="sm" c="dimmed">
                      {closedText}
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
          data-testid={`${testId}-hours-start`}
          w={120}
        />
        <TimeInput
          label="until"
          value={all.end}
          onChange={(e) => setAll({ ...all, end: e.currentTarget.value })}
          data-testid={`${testId}-hours-end`}
          w={120}
        />
        <Button
          variant="default"
          onClick={() => onChange(days.map(() => ({ open: true, start: all.start, end: all.end })))}
          data-testid={`${testId}-hours-apply`}
        >
          Apply to every day
        </Button>
      </Group>
    </div>
  );
}
