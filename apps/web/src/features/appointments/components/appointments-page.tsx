import type { ManagerAppointment } from '@engage/contracts';
import {
  Alert,
  Badge,
  Button,
  Center,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  Select,
  Table,
  Text,
} from '@mantine/core';
import {
  IconAlertCircle,
  IconCalendarEvent,
  IconFilterOff,
  IconHistory,
  IconUserShare,
  IconX,
} from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { PageHeader } from '../../../components/page-header';
import { isApiError } from '../../../lib/api-error';
import { agentTimeZone, formatDateTime, shortZone } from '../../../lib/time';
import { useNow } from '../../../lib/use-now';
import { AuditDrawer } from '../../audit/components/audit-trail';
import {
  mergeOptions,
  selectData,
  useCampaignOptions,
  usePeopleOptions,
  useTeamOptions,
} from '../../calls/api/reference-api';
import {
  defaultAppointmentFilters,
  useAppointments,
  type AppointmentFilters,
  type AppointmentStatus,
} from '../api/appointments-api';
import dayjs from 'dayjs';
import { AppointmentActionModal, type AppointmentAction } from './appointment-modals';
import { AppointmentsWeek, mondayOf, STATUS_COLORS } from './appointments-week';
import { LoadMoreFooter } from '../../../components/load-more-footer';
import { DateRangeFilter, type DateRange } from '../../../components/date-range-filter';
import { CellText } from '../../../components/cell-text';

const STATUSES: { value: AppointmentStatus; label: string; color: string }[] = [
  { value: 'scheduled', label: 'Scheduled', color: STATUS_COLORS.scheduled },
  { value: 'done', label: 'Done', color: STATUS_COLORS.done },
  { value: 'missed', label: 'Missed', color: STATUS_COLORS.missed },
  { value: 'cancelled', label: 'Cancelled', color: STATUS_COLORS.cancelled },
];
const ANYONE = 'anyone';

const idOrNull = (v: string | null) => (v === null ? null : Number(v));

function AppointmentFiltersBar({
  filters,
  onChange,
  rows,
  dates = true,
}: {
  filters: AppointmentFilters;
  onChange: (f: AppointmentFilters) => void;
  rows: ManagerAppointment[];
  /** The date range (the week view has its own). */
  dates?: boolean;
}) {
  const campaigns = useCampaignOptions();
  const teams = useTeamOptions();
  const people = usePeopleOptions();
  const set = (patch: Partial<AppointmentFilters>) => onChange({ ...filters, ...patch });
  const [range, setRange] = useState<DateRange>([filters.from, filters.to]);
  const campaignOptions = mergeOptions(
    campaigns.data,
    rows.map((r) => r.campaign),
  );
  const ownerOptions = mergeOptions(
    people.data,
    rows.map((r) => r.owner),
  );
  const changed = (Object.keys(filters) as (keyof AppointmentFilters)[]).some(
    (k) => filters[k] !== defaultAppointmentFilters[k],
  );

  return (
    <Paper withBorder p="sm" radius="md" mb="md" data-testid="appointments-filters">
      <Group gap="sm" align="flex-end">
        <Select
          label="Campaign"
          placeholder="All campaigns"
          data={selectData(campaignOptions)}
          value={filters.campaignId === null ? null : String(filters.campaignId)}
          onChange={(v) => set({ campaignId: idOrNull(v) })}
          searchable
          clearable
          w={200}
          data-testid="filter-campaign"
        />
        {teams.isSuccess && teams.data.length > 0 && (
          <Select
            label="Team"
            placeholder="All teams"
            data={selectData(teams.data)}
            value={filters.teamId === null ? null : String(filters.teamId)}
            onChange={(v) => set({ teamId: idOrNull(v) })}
            searchable
            clearable
            w={170}
            data-testid="filter-team"
          />
        )}
        <Select
          label="Owner"
          placeholder="Anyone or any agent"
          data={[{ value: ANYONE, label: 'Anyone in the campaign' }, ...selectData(ownerOptions)]}
          value={filters.ownerAgentId === null ? null : String(filters.ownerAgentId)}
          onChange={(v) => set({ ownerAgentId: v === null ? null : v === ANYONE ? ANYONE : Number(v) })}
          searchable
          clearable
          w={210}
          data-testid="filter-owner"
        />
        <Select
          label="Status"
          placeholder="Any status"
          data={STATUSES.map((s) => ({ value: s.value, label: s.label }))}
          value={filters.status}
          onChange={(v) => set({ status: STATUSES.find((s) => s.value === v)?.value ?? null })}
          clearable
          w={150}
          data-testid="filter-status"
        />
        {dates && <DateRangeFilter value={range} onPick={setRange} onApply={(from, to) => set({ from, to })} />}
        {changed && (
          <Button
            variant="subtle"
            color="gray"
            leftSection={<IconFilterOff size={16} />}
            onClick={() => {
              setRange([null, null]);
              onChange(defaultAppointmentFilters);
            }}
            data-testid="filters-reset"
          >
            Reset filters
          </Button>
        )}
      </Group>
    </Paper>
  );
}

function StatusBadge({ status }: { status: AppointmentStatus }) {
  const s = STATUSES.find((x) => x.value === status);
  return (
    <Badge color={s?.color} variant="light" style={{ minWidth: 'max-content' }} data-testid="appointment-status">
      {s?.label ?? status}
    </Badge>
  );
}

function AppointmentsTable({
  appointments,
  onAction,
  onHistory,
}: {
  appointments: ManagerAppointment[];
  onAction: (action: AppointmentAction, a: ManagerAppointment) => void;
  onHistory: (a: ManagerAppointment) => void;
}) {
  const mine = agentTimeZone();
  const now = useNow(60_000);
  return (
    <Table.ScrollContainer minWidth={1050}>
      <Table striped highlightOnHover verticalSpacing="xs" fz="sm" data-testid="appointments-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>When (your time)</Table.Th>
            <Table.Th>Donor’s time</Table.Th>
            <Table.Th>Donor</Table.Th>
            <Table.Th>Campaign</Table.Th>
            <Table.Th>Owner</Table.Th>
            <Table.Th>Notes</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {appointments.map((a) => {
            const scheduled = a.status === 'scheduled';
            const due = scheduled && new Date(a.scheduledAt).getTime() <= now;
            return (
              <Table.Tr key={a.id} data-testid="appointment-row" data-appointment-id={a.id} data-status={a.status}>
                <Table.Td style={{ whiteSpace: 'nowrap' }} data-testid="appointment-when">
                  {formatDateTime(a.scheduledAt, mine)}
                  {due && (
                    <Badge size="xs" color="red" variant="light" ml={6}>
                      Due
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Text size="sm" data-testid="appointment-donor-time">
                    {formatDateTime(a.scheduledAt, a.donor.timeZone)}
                  </Text>
                  <Text size="xs" c="dimmed" title={a.donor.timeZone}>
                    {shortZone(a.donor.timeZone)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <CellText fw={500}>{a.donor.name}</CellText>
                  <Text size="xs" c="dimmed" ff="monospace">
                    {a.donor.reference}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <CellText>{a.campaign.name}</CellText>
                </Table.Td>
                <Table.Td data-testid="appointment-owner">
                  {a.owner ? (
                    <CellText maw={180}>{a.owner.name}</CellText>
                  ) : (
                    <Text size="sm" c="dimmed" fs="italic">
                      Anyone in the campaign
                    </Text>
                  )}
                </Table.Td>
                <Table.Td miw={140} maw={240}>
                  <Text size="sm" lineClamp={2} title={a.notes}>
                    {a.notes}
                  </Text>
                </Table.Td>
                <Table.Td miw={110}>
                  <StatusBadge status={a.status} />
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap" justify="flex-end">
                    {scheduled && (
                      <>
                        <Button
                          size="compact-xs"
                          variant="light"
                          leftSection={<IconCalendarEvent size={14} />}
                          onClick={() => onAction('reschedule', a)}
                          data-testid="appointment-reschedule"
                        >
                          Reschedule
                        </Button>
                        <Button
                          size="compact-xs"
                          variant="light"
                          leftSection={<IconUserShare size={14} />}
                          onClick={() => onAction('reassign', a)}
                          data-testid="appointment-reassign"
                        >
                          Reassign
                        </Button>
                        <Button
                          size="compact-xs"
                          variant="light"
                          color="red"
                          leftSection={<IconX size={14} />}
                          onClick={() => onAction('cancel', a)}
                          data-testid="appointment-cancel"
                        >
                          Cancel
                        </Button>
                      </>
                    )}
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      color="gray"
                      leftSection={<IconHistory size={14} />}
                      onClick={() => onHistory(a)}
                      data-testid="appointment-history"
                    >
                      History
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Managers' Appointments: call-backs of their teams' campaigns; reschedule, reassign, cancel, history. */
export function AppointmentsPage() {
  const [filters, setFilters] = useState<AppointmentFilters>(defaultAppointmentFilters);
  const [target, setTarget] = useState<{ action: AppointmentAction; appointment: ManagerAppointment } | null>(null);
  const [history, setHistory] = useState<ManagerAppointment | null>(null);
  const [view, setView] = useState<'list' | 'week'>('list');
  const [weekStart, setWeekStart] = useState(() => mondayOf(dayjs().format('YYYY-MM-DD')));
  const appointments = useAppointments(filters);
  const rows = useMemo(() => appointments.data?.pages.flatMap((p) => p.appointments) ?? [], [appointments.data]);

  return (
    <>
      <PageHeader
        title="Appointments"
        description={`Call-backs in the campaigns your teams work, earliest first, in your time (${agentTimeZone()}) and the donor's. Every change is kept in the appointment's history.`}
      />
      <Group mb="sm">
        <SegmentedControl
          value={view}
          onChange={(v) => setView(v === 'week' ? 'week' : 'list')}
          data={[
            { value: 'list', label: 'List' },
            { value: 'week', label: <span data-testid="appointments-view-week">Week</span> },
          ]}
          data-testid="appointments-view"
        />
      </Group>
      <AppointmentFiltersBar filters={filters} onChange={setFilters} rows={rows} dates={view === 'list'} />
      <Paper withBorder p="md" radius="md">
        {view === 'week' ? (
          <AppointmentsWeek
            filters={filters}
            weekStart={weekStart}
            onWeekChange={setWeekStart}
            onOpen={(appointment) =>
              appointment.status === 'scheduled'
                ? setTarget({ action: 'reschedule', appointment })
                : setHistory(appointment)
            }
          />
        ) : appointments.isPending ? (
          <Center py="xl">
            <Loader />
          </Center>
        ) : appointments.isError ? (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} data-testid="appointments-error">
            {isApiError(appointments.error)
              ? appointments.error.message
              : 'The appointments could not be loaded. Reload the page.'}
          </Alert>
        ) : rows.length === 0 ? (
          <Text c="dimmed" data-testid="appointments-empty">
            No appointments match these filters.
          </Text>
        ) : (
          <>
            <AppointmentsTable
              appointments={rows}
              onAction={(action, appointment) => setTarget({ action, appointment })}
              onHistory={setHistory}
            />
            <LoadMoreFooter shown={rows.length} noun="appointment" pages={appointments} testId="appointments" />
          </>
        )}
      </Paper>
      <AppointmentActionModal target={target} onClose={() => setTarget(null)} />
      <AuditDrawer
        entityType="appointment"
        entityId={history?.id ?? null}
        title={history ? `History of the call-back with ${history.donor.name}` : 'History'}
        onClose={() => setHistory(null)}
      />
    </>
  );
}
