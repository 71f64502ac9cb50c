import {
  hangupCauses,
  type CallDirection,
  type InboundCallStatus,
  type ManagerCall,
  type ManagerInboundCall,
} from '@engage/contracts';
import { Badge, Button, Group, Paper, SegmentedControl, Select, Table, Text, Tooltip } from '@mantine/core';
import { IconFilterOff, IconHistory, IconPencil, IconTimeline } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../../components/page-header';
import { agentTimeZone, formatDateTime, formatDuration } from '../../../lib/time';
import { AuditDrawer } from '../../audit/components/audit-trail';
import {
  callFiltersFromSearch,
  callFiltersToSearch,
  emptyCallFilters,
  useCalls,
  useInboundCalls,
  type CallFilters,
  type InboundCallFilters,
} from '../api/calls-api';
import { useInboundLines } from '../../inbound/api/inbound-api';
import { callerLabel } from './caller';
import { InboundCallsTable } from './inbound-calls-table';
import { InboundHistoryDrawer } from './inbound-history-drawer';
import {
  mergeOptions,
  selectData,
  useCampaignOptions,
  useEndReasonOptions,
  usePeopleOptions,
  useTeamOptions,
} from '../api/reference-api';
import { CorrectCallModal } from './correct-call-modal';
import { PagedListBody } from '../../../components/paged-list-body';
import { DateRangeFilter, type DateRange } from '../../../components/date-range-filter';
import { CellText } from '../../../components/cell-text';
import { callLineLabel, hangupCauseLabels } from '../../../lib/call-line';

const DIRECTIONS: { value: CallDirection; label: string }[] = [
  { value: 'outbound', label: 'Outbound' },
  { value: 'inbound', label: 'Inbound' },
];

const HANGUP_CAUSES = hangupCauses.map((value) => ({ value, label: hangupCauseLabels[value] }));

const idOrNull = (v: string | null) => (v === null ? null : Number(v));

function CallFiltersBar({
  filters,
  onChange,
  rows,
}: {
  filters: CallFilters;
  onChange: (f: CallFilters) => void;
  rows: ManagerCall[];
}) {
  const campaigns = useCampaignOptions();
  const teams = useTeamOptions();
  const people = usePeopleOptions();
  const endReasons = useEndReasonOptions();
  const lines = useInboundLines();
  const set = (patch: Partial<CallFilters>) => onChange({ ...filters, ...patch });
  // The picker's own value: a range is applied once both ends are chosen (or it is cleared).
  const [range, setRange] = useState<DateRange>([filters.from, filters.to]);
  const campaignOptions = mergeOptions(
    campaigns.data,
    rows.map((r) => r.campaign),
  );
  const teamOptions = mergeOptions(
    teams.data,
    rows.map((r) => r.team),
  );
  const agentOptions = mergeOptions(
    people.data,
    rows.map((r) => r.agent),
  );
  const reasonOptions = mergeOptions(
    endReasons.data,
    rows.map((r) => r.endReason),
  );
  const lineOptions = mergeOptions(
    lines.data,
    rows.map((r) => r.line),
  );
  const active = Object.values(filters).some((v) => v !== null);

  return (
    <Paper withBorder p="sm" radius="md" mb="md" data-testid="calls-filters">
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
        <Select
          label="Team"
          placeholder="All teams"
          data={selectData(teamOptions)}
          value={filters.teamId === null ? null : String(filters.teamId)}
          onChange={(v) => set({ teamId: idOrNull(v) })}
          searchable
          clearable
          w={170}
          data-testid="filter-team"
        />
        <Select
          label="Agent"
          placeholder="All agents"
          data={selectData(agentOptions)}
          value={filters.agentId === null ? null : String(filters.agentId)}
          onChange={(v) => set({ agentId: idOrNull(v) })}
          searchable
          clearable
          w={190}
          data-testid="filter-agent"
        />
        <DateRangeFilter value={range} onPick={setRange} onApply={(from, to) => set({ from, to })} />
        <Select
          label="End reason"
          placeholder="Any end reason"
          data={selectData(reasonOptions)}
          value={filters.endReasonId === null ? null : String(filters.endReasonId)}
          onChange={(v) => set({ endReasonId: idOrNull(v) })}
          searchable
          clearable
          w={190}
          data-testid="filter-end-reason"
        />
        <Select
          label="Direction"
          placeholder="Both"
          data={DIRECTIONS}
          value={filters.direction}
          onChange={(v) => set({ direction: v === 'outbound' || v === 'inbound' ? v : null })}
          clearable
          w={130}
          data-testid="filter-direction"
        />
        <Select
          label="Inbound line"
          placeholder="All lines"
          data={selectData(lineOptions)}
          value={filters.inboundLineId === null ? null : String(filters.inboundLineId)}
          onChange={(v) => set({ inboundLineId: idOrNull(v) })}
          searchable
          clearable
          w={190}
          data-testid="filter-line"
        />
        <Select
          label="Softphone"
          placeholder="Any line"
          data={HANGUP_CAUSES}
          value={filters.hangupCause}
          onChange={(v) => set({ hangupCause: HANGUP_CAUSES.find((x) => x.value === v)?.value ?? null })}
          clearable
          w={150}
          data-testid="filter-hangup-cause"
        />
        {active && (
          <Button
            variant="subtle"
            color="gray"
            leftSection={<IconFilterOff size={16} />}
            onClick={() => {
              setRange([null, null]);
              onChange(emptyCallFilters);
            }}
            data-testid="filters-reset"
          >
            Clear filters
          </Button>
        )}
      </Group>
    </Paper>
  );
}

function CallsTable({
  calls,
  timeZone,
  onCorrect,
  onHistory,
  onInboundHistory,
}: {
  calls: ManagerCall[];
  timeZone: string;
  onCorrect: (c: ManagerCall) => void;
  onHistory: (c: ManagerCall) => void;
  onInboundHistory: (inboundCallId: number) => void;
}) {
  return (
    <Table.ScrollContainer minWidth={1200}>
      <Table striped highlightOnHover verticalSpacing="xs" fz="sm" data-testid="calls-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Started</Table.Th>
            <Table.Th>Agent</Table.Th>
            <Table.Th>Donor</Table.Th>
            <Table.Th>Direction · Line</Table.Th>
            <Table.Th>Campaign · Team</Table.Th>
            {/* The number dialled is left out below 1408 px, so that names and notes keep their room. */}
            <Table.Th visibleFrom="xl">Number</Table.Th>
            <Table.Th ta="right">Duration</Table.Th>
            <Table.Th>Softphone</Table.Th>
            <Table.Th>End reason</Table.Th>
            <Table.Th>Notes</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {calls.map((c) => {
            const open = c.endedAt === null;
            return (
              <Table.Tr key={c.id} data-testid="call-row" data-call-id={c.id} data-corrected={c.corrected || undefined}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(c.startedAt, timeZone)}</Table.Td>
                <Table.Td>
                  <CellText maw={180}>{c.agent.name}</CellText>
                </Table.Td>
                <Table.Td>
                  <CellText fw={500} data-testid="call-donor">
                    {c.donor ? c.donor.name : 'New caller'}
                  </CellText>
                  <Text size="xs" c="dimmed" ff="monospace">
                    {c.donor ? c.donor.reference : (c.phoneDialled ?? 'Number withheld')}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge
                    size="xs"
                    variant={c.direction === 'inbound' ? 'outline' : 'light'}
                    color={c.direction === 'inbound' ? 'grape' : 'gray'}
                    style={{ minWidth: 'max-content' }}
                    data-testid="call-direction"
                  >
                    {c.direction === 'inbound' ? 'Inbound' : 'Outbound'}
                  </Badge>
                  <CellText size="xs" c="dimmed" data-testid="call-line">
                    {c.line?.name ?? ''}
                  </CellText>
                </Table.Td>
                <Table.Td>
                  <CellText>{c.campaign?.name ?? '—'}</CellText>
                  <CellText size="xs" c="dimmed">
                    {c.team?.name ?? ''}
                  </CellText>
                </Table.Td>
                <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }} visibleFrom="xl">
                  {c.phoneDialled ?? '—'}
                </Table.Td>
                <Table.Td ta="right" ff="monospace">
                  {c.durationSeconds !== null ? formatDuration(c.durationSeconds) : ''}
                </Table.Td>
                <Table.Td miw={120}>
                  <Text size="sm" data-testid="call-signalling" data-cause={c.signalling?.hangupCause ?? undefined}>
                    {callLineLabel(c.signalling)}
                  </Text>
                </Table.Td>
                <Table.Td miw={130}>
                  <Group gap={4}>
                    {open ? (
                      <Badge
                        color="green"
                        variant="light"
                        style={{ minWidth: 'max-content' }}
                        data-testid="call-in-progress"
                      >
                        In progress
                      </Badge>
                    ) : (
                      <Text size="sm" data-testid="call-end-reason">
                        {c.endReason?.name ?? '—'}
                      </Text>
                    )}
                    {c.corrected && (
                      <Badge size="xs" color="orange" variant="light" data-testid="call-corrected">
                        Corrected
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td miw={180} maw={320}>
                  <Text size="sm" lineClamp={2} title={c.notes} data-testid="call-notes">
                    {c.notes}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap" justify="flex-end">
                    <Tooltip label="End the call first" disabled={!open}>
                      <Button
                        size="compact-xs"
                        variant="light"
                        leftSection={<IconPencil size={14} />}
                        disabled={open}
                        onClick={() => onCorrect(c)}
                        data-testid="call-correct"
                      >
                        Correct
                      </Button>
                    </Tooltip>
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      color="gray"
                      leftSection={<IconHistory size={14} />}
                      onClick={() => onHistory(c)}
                      data-testid="call-history"
                    >
                      History
                    </Button>
                    {c.inboundCallId !== null && (
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        color="grape"
                        leftSection={<IconTimeline size={14} />}
                        onClick={() => onInboundHistory(c.inboundCallId!)}
                        data-testid="call-inbound-history"
                      >
                        Call history
                      </Button>
                    )}
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

const INBOUND_STATUSES: { value: InboundCallStatus; label: string }[] = [
  { value: 'answered', label: 'Answered (on a call)' },
  { value: 'ended', label: 'Ended' },
  { value: 'abandoned', label: 'Hung up' },
  { value: 'queued', label: 'Waiting' },
  { value: 'ringing', label: 'Ringing' },
  { value: 'closed', label: 'Line closed' },
  { value: 'overflow', label: 'Waited too long' },
];

/** Every inbound call, answered or not (a caller who hung up, a closed line, an overflow has no call record). */
function InboundCallsView({ onHistory }: { onHistory: (c: ManagerInboundCall) => void }) {
  const [filters, setFilters] = useState<InboundCallFilters>({ lineId: null, status: null });
  const lines = useInboundLines();
  const calls = useInboundCalls(filters);
  const timeZone = agentTimeZone();
  const rows = useMemo(() => calls.data?.pages.flatMap((p) => p.inboundCalls) ?? [], [calls.data]);
  const lineOptions = mergeOptions(
    lines.data,
    rows.map((r) => r.line),
  );
  return (
    <>
      <Paper withBorder p="sm" radius="md" mb="md" data-testid="inbound-calls-filters">
        <Group gap="sm" align="flex-end">
          <Select
            label="Inbound line"
            placeholder="All lines"
            data={selectData(lineOptions)}
            value={filters.lineId === null ? null : String(filters.lineId)}
            onChange={(v) => setFilters({ ...filters, lineId: idOrNull(v) })}
            searchable
            clearable
            w={200}
            data-testid="inbound-filter-line"
          />
          <Select
            label="Status"
            placeholder="Any status"
            data={INBOUND_STATUSES}
            value={filters.status}
            onChange={(v) =>
              setFilters({ ...filters, status: INBOUND_STATUSES.find((x) => x.value === v)?.value ?? null })
            }
            clearable
            w={200}
            data-testid="inbound-filter-status"
          />
        </Group>
      </Paper>
      <Paper withBorder p="md" radius="md">
        <PagedListBody
          query={calls}
          shown={rows.length}
          noun="inbound call"
          testId="inbound-calls"
          loadFailed="The inbound calls could not be loaded. Reload the page."
          empty="No inbound calls match these filters."
        >
          <InboundCallsTable calls={rows} timeZone={timeZone} onHistory={onHistory} />
        </PagedListBody>
      </Paper>
    </>
  );
}

/** Managers' Calls: every call of the teams they lead, filtered; correct one, read its history. */
export function CallsPage() {
  // The filters live in the address: a reload, a bookmark or Back keeps them.
  const [params, setParams] = useSearchParams();
  const view = params.get('view') === 'inbound' ? 'inbound' : 'calls';
  const filters = useMemo(() => callFiltersFromSearch(params), [params]);
  const setFilters = (f: CallFilters) => setParams(callFiltersToSearch(f));
  const [correcting, setCorrecting] = useState<ManagerCall | null>(null);
  const [history, setHistory] = useState<ManagerCall | null>(null);
  const [inboundHistory, setInboundHistory] = useState<number | null>(null);
  const calls = useCalls(filters);
  const timeZone = agentTimeZone();
  const rows = useMemo(() => calls.data?.pages.flatMap((p) => p.calls) ?? [], [calls.data]);

  return (
    <>
      <PageHeader
        title="Calls"
        description={`Every call of the teams you lead, newest first. Times are in your time zone (${timeZone}). Correct an end reason or notes; every change is kept in the call's history. Inbound calls lists every caller who rang your lines, answered or not.`}
      />
      <SegmentedControl
        mb="md"
        value={view}
        onChange={(v) => setParams(v === 'inbound' ? new URLSearchParams({ view: 'inbound' }) : new URLSearchParams())}
        data={[
          { value: 'calls', label: 'Calls' },
          { value: 'inbound', label: 'Inbound calls (answered or not)' },
        ]}
        data-testid="calls-view"
      />
      {view === 'inbound' ? (
        <InboundCallsView onHistory={(c) => setInboundHistory(c.id)} />
      ) : (
        <>
          <CallFiltersBar key={`${filters.from}|${filters.to}`} filters={filters} onChange={setFilters} rows={rows} />
          <Paper withBorder p="md" radius="md">
            <PagedListBody
              query={calls}
              shown={rows.length}
              noun="call"
              testId="calls"
              loadFailed="The calls could not be loaded. Reload the page."
              empty="No calls match these filters."
            >
              <CallsTable
                calls={rows}
                timeZone={timeZone}
                onCorrect={setCorrecting}
                onHistory={setHistory}
                onInboundHistory={setInboundHistory}
              />
            </PagedListBody>
          </Paper>
        </>
      )}
      <CorrectCallModal call={correcting} onClose={() => setCorrecting(null)} />
      <AuditDrawer
        entityType="call"
        entityId={history?.id ?? null}
        title={history ? `History of the call with ${callerLabel(history)}` : 'History'}
        onClose={() => setHistory(null)}
      />
      <InboundHistoryDrawer inboundCallId={inboundHistory} onClose={() => setInboundHistory(null)} />
    </>
  );
}
