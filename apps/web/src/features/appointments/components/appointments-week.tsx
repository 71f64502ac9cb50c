import type { ManagerAppointment } from '@engage/contracts';
import { ActionIcon, Alert, Badge, Center, Group, Loader, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconAlertCircle, IconChevronLeft, IconChevronRight } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { useEffect, useMemo } from 'react';
import { isApiError } from '../../../lib/api-error';
import { agentTimeZone, formatClock } from '../../../lib/time';
import { useAppointments, type AppointmentFilters, type AppointmentStatus } from '../api/appointments-api';

/** At most this many pages (of 50) are read for one week. */
const MAX_PAGES = 20;

export const STATUS_COLORS: Record<AppointmentStatus, string> = {
  scheduled: 'blue',
  done: 'green',
  missed: 'orange',
  cancelled: 'gray',
};

/** Monday ("YYYY-MM-DD") of the week holding `date`, in the browser's (the manager's) zone. */
export function mondayOf(date: string): string {
  const d = dayjs(date);
  return d.subtract((d.day() + 6) % 7, 'day').format('YYYY-MM-DD');
}

/** The calendar date ("YYYY-MM-DD") of an instant in a zone. */
function dayIn(at: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(at),
  );
}

/**
 * A week of call-backs, Monday to Sunday, by day and time in the manager's zone, with the
 * list's filters (its dates aside: the week is the range).
 */
export function AppointmentsWeek({
  filters,
  weekStart,
  onWeekChange,
  onOpen,
}: {
  filters: AppointmentFilters;
  /** Monday, "YYYY-MM-DD". */
  weekStart: string;
  onWeekChange: (monday: string) => void;
  onOpen: (a: ManagerAppointment) => void;
}) {
  const mine = agentTimeZone();
  const days = useMemo(
    () => Array.from({ length: 7 }, (_, i) => dayjs(weekStart).add(i, 'day').format('YYYY-MM-DD')),
    [weekStart],
  );
  const weekFilters = useMemo(() => ({ ...filters, from: days[0]!, to: days[6]! }), [filters, days]);
  const query = useAppointments(weekFilters);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  const pages = query.data?.pages.length ?? 0;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && pages < MAX_PAGES) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage, pages]);

  const byDay = useMemo(() => {
    const map = new Map<string, ManagerAppointment[]>();
    for (const a of query.data?.pages.flatMap((p) => p.appointments) ?? []) {
      const day = dayIn(a.scheduledAt, mine);
      map.set(day, [...(map.get(day) ?? []), a]);
    }
    return map;
  }, [query.data, mine]);
  const today = dayIn(new Date().toISOString(), mine);

  return (
    <Stack gap="sm" data-testid="calendar-week" data-week-start={weekStart}>
      <Group justify="space-between">
        <Group gap="xs">
          <ActionIcon
            variant="default"
            aria-label="Previous week"
            onClick={() => onWeekChange(dayjs(weekStart).subtract(7, 'day').format('YYYY-MM-DD'))}
            data-testid="calendar-prev"
          >
            <IconChevronLeft size={16} />
          </ActionIcon>
          <ActionIcon
            variant="default"
            aria-label="Next week"
            onClick={() => onWeekChange(dayjs(weekStart).add(7, 'day').format('YYYY-MM-DD'))}
            data-testid="calendar-next"
          >
            <IconChevronRight size={16} />
          </ActionIcon>
          <Title order={3} size="h5">
            {dayjs(days[0]).format('D MMM')} – {dayjs(days[6]).format('D MMM YYYY')}
          </Title>
        </Group>
        <Text size="xs" c="dimmed">
          Times in your zone ({mine})
          {hasNextPage && pages >= MAX_PAGES ? ' · only the first appointments are shown: narrow the filters' : ''}
        </Text>
      </Group>
      {query.isPending ? (
        <Center py="xl">
          <Loader />
        </Center>
      ) : query.isError ? (
        <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} data-testid="appointments-error">
          {isApiError(query.error) ? query.error.message : 'The appointments could not be loaded. Reload the page.'}
        </Alert>
      ) : (
        <SimpleGrid cols={7} spacing={6}>
          {days.map((day) => {
            const items = byDay.get(day) ?? [];
            return (
              <Paper
                key={day}
                withBorder
                radius="sm"
                p={6}
                mih={180}
                bg={day === today ? 'blue.0' : undefined}
                data-testid="calendar-day"
                data-date={day}
              >
                <Text size="xs" fw={700} c={day === today ? 'blue.8' : 'dimmed'} mb={4}>
                  {dayjs(day).format('ddd D')}
                </Text>
                <Stack gap={4}>
                  {items.map((a) => (
                    <Paper
                      key={a.id}
                      withBorder
                      radius="xs"
                      p={4}
                      style={{
                        cursor: 'pointer',
                        borderLeft: `3px solid var(--mantine-color-${STATUS_COLORS[a.status]}-6)`,
                      }}
                      onClick={() => onOpen(a)}
                      title={`${a.donor.name} · ${a.campaign.name} · ${a.status}${a.notes ? `\n${a.notes}` : ''}`}
                      data-testid="calendar-item"
                      data-appointment-id={a.id}
                      data-status={a.status}
                    >
                      <Group gap={4} wrap="nowrap" justify="space-between">
                        <Text size="xs" fw={700} ff="monospace">
                          {formatClock(a.scheduledAt, mine)}
                        </Text>
                        <Badge size="xs" variant="light" color={STATUS_COLORS[a.status]}>
                          {a.status}
                        </Badge>
                      </Group>
                      <Text size="xs" fw={500} lineClamp={1}>
                        {a.donor.name}
                      </Text>
                      <Text size="xs" c="dimmed" lineClamp={1}>
                        {a.owner ? a.owner.name : 'Anyone'}
                      </Text>
                    </Paper>
                  ))}
                </Stack>
              </Paper>
            );
          })}
        </SimpleGrid>
      )}
    </Stack>
  );
}
