import { Badge, Paper, SimpleGrid, Text } from '@mantine/core';
import { agentTimeZone, formatClock, formatDateTime } from '../lib/time';

/** Whether a wall-clock "HH:MM" is within [start, end), hours that may wrap past midnight. */
function withinHours(local: string, start: string, end: string): boolean {
  if (start === '00:00' && end === '24:00') return true;
  return start < end ? local >= start && local < end : local >= start || local < end;
}

/**
 * A chosen call-back time in the user's zone and in the donor's, side by side. With `hours` (the
 * campaign's calling hours, the donor's time), a time outside them is marked. Test ids:
 * `<prefix>-zones`, `<prefix>-donor-time`, `<prefix>-outside-hours`.
 */
export function BothZones({
  at,
  donorTimeZone,
  hours,
  testIdPrefix,
}: {
  at: string;
  donorTimeZone: string;
  hours?: { start: string; end: string };
  testIdPrefix: string;
}) {
  const mine = agentTimeZone();
  const inHours = !hours || withinHours(formatClock(at, donorTimeZone), hours.start, hours.end);
  return (
    <SimpleGrid cols={2} spacing="xs" data-testid={`${testIdPrefix}-zones`}>
      <Paper withBorder radius="sm" p="xs" bg="gray.0">
        <Text size="xs" c="dimmed">
          Your time · {mine}
        </Text>
        <Text size="sm" fw={600}>
          {formatDateTime(at, mine)}
        </Text>
      </Paper>
      <Paper withBorder radius="sm" p="xs" bg={inHours ? 'gray.0' : 'red.0'}>
        <Text size="xs" c="dimmed">
          Donor’s time · {donorTimeZone}
        </Text>
        <Text size="sm" fw={600} data-testid={`${testIdPrefix}-donor-time`}>
          {formatDateTime(at, donorTimeZone)}
        </Text>
        {!inHours && (
          <Badge color="red" variant="light" size="xs" data-testid={`${testIdPrefix}-outside-hours`}>
            Outside calling hours
          </Badge>
        )}
      </Paper>
    </SimpleGrid>
  );
}
