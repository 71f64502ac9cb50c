import { Badge, Paper, SimpleGrid, Text } from '@mantine/core';
import { agentTimeZone, formatDateTime } from '../lib/time';
import { outsideCallingHours, type DonorCallingRules } from './calling-hours-display';

/**
 * A chosen call-back time in the user's zone and in the donor's, side by side. With `rules` (the
 * campaign's weekday hours and closed dates, the organisation's legal windows, the donor's
 * country), a time the donor may not be called is marked, by the database's rule (mayCallAt).
 * Test ids: `<prefix>-zones`, `<prefix>-donor-time`, `<prefix>-outside-hours`.
 */
export function BothZones({
  at,
  donorTimeZone,
  rules,
  testIdPrefix,
}: {
  at: string;
  donorTimeZone: string;
  /** null or absent while the rules load: nothing is marked. */
  rules?: DonorCallingRules | null;
  testIdPrefix: string;
}) {
  const mine = agentTimeZone();
  const inHours = !rules || !outsideCallingHours(at, donorTimeZone, rules);
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
