import {
  Alert,
  Button,
  Group,
  Loader,
  Modal,
  Pagination,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Tooltip,
  Select,
} from '@mantine/core';
import { createListFromSearchBodySchema } from '@engage/contracts';
import { useForm } from '@mantine/form';
import { IconListDetails, IconSearch } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { PageHeader } from '../../../components/page-header';
import { validateWithSchema } from '../../../lib/form-validation';
import { useCreateListFromSearch } from '../../lists/api/lists-api';
import { DonorFlags } from '../../../components/donor-flags';
import { showServerError } from '../../../lib/form-errors';
import { DateRangeFilter, type DateRange } from '../../../components/date-range-filter';
import { useLists } from '../../lists/api/lists-api';
import { countryOptions } from '../../../lib/countries';
import { DONOR_FILTER_KEYS, donorFiltersFromSearch, useDonorSearch, type DonorFilters } from '../api/donors-api';
import { CellText } from '../../../components/cell-text';

const PAGE_SIZE = 50;

/** Managers find donors by name, reference, phone or email, and can make a list of the results. */
export function DonorsPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const searched = params.has('q');
  const filters = useMemo(() => donorFiltersFromSearch(params), [params]);
  const filtered = DONOR_FILTER_KEYS.some((k) => filters[k] !== null);
  const [text, setText] = useState(q);
  const [making, setMaking] = useState(false);
  const results = useDonorSearch(q, filters, page, PAGE_SIZE, searched);
  const navigate = useNavigate();

  /** Searches the box's text with these filters, from the first page. */
  const searchWith = (f: DonorFilters, query = text.trim()) => {
    const next = new URLSearchParams({ q: query });
    for (const k of DONOR_FILTER_KEYS) {
      const v = f[k];
      if (v !== null) next.set(k, v);
    }
    setParams(next);
  };
  const search = (e?: { preventDefault: () => void }) => {
    e?.preventDefault();
    searchWith(filters);
  };

  return (
    <>
      <PageHeader
        title="Donors"
        description="Search by name (accents and apostrophes do not matter), reference, phone number in any format, or email."
      />
      <form onSubmit={search}>
        <Group align="flex-end" mb="md">
          <TextInput
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            placeholder="e.g. José García, D-10442, 07700 900123, ana@example.org"
            leftSection={<IconSearch size={16} />}
            w={480}
            aria-label="Search donors"
            data-autofocus
            data-testid="donor-search"
          />
          <Button type="submit" data-testid="donor-search-submit">
            Search
          </Button>
          <Tooltip label="Clear the filters first: a list is made from the search text alone" disabled={!filtered}>
            <Button
              variant="default"
              leftSection={<IconListDetails size={16} />}
              disabled={!results.data || results.data.total === 0 || filtered}
              onClick={() => setMaking(true)}
              data-testid="donor-search-make-list"
            >
              Make a list from these results
            </Button>
          </Tooltip>
        </Group>
      </form>
      <DonorFiltersBar key={params.toString()} filters={filters} onChange={(f) => searchWith(f, q)} />
      {!searched && (
        <Text c="dimmed" data-testid="donor-search-hint">
          Type part of a name, a reference, a phone number or an email and press Search. Search with an empty box to see
          every donor.
        </Text>
      )}
      {searched && results.isPending && <Loader />}
      {results.isError && (
        <Alert color="red" title="The search failed">
          {results.error.message}
        </Alert>
      )}
      {results.data && (
        <Paper withBorder radius="md" p="md">
          {results.data.total === 0 ? (
            <Text c="dimmed" data-testid="donor-search-empty">
              No donor matches “{q}”{filtered ? ' with these filters' : ''}. Check the spelling, or search by reference,
              phone or email{filtered ? ', or clear a filter' : ''}.
            </Text>
          ) : (
            <Stack gap="sm">
              <Table striped highlightOnHover verticalSpacing="xs" data-testid="donor-results">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Reference</Table.Th>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Phone</Table.Th>
                    <Table.Th>Email</Table.Th>
                    <Table.Th>Country</Table.Th>
                    <Table.Th>Flags</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {results.data.donors.map((d) => (
                    <Table.Tr
                      key={d.id}
                      data-testid="donor-row"
                      data-donor-id={d.id}
                      data-reference={d.reference}
                      style={{ cursor: 'pointer' }}
                      onClick={() => void navigate(`/manager/donors/${d.id}`)}
                    >
                      <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                        {d.reference}
                      </Table.Td>
                      <Table.Td>
                        <CellText fw={500} maw={260}>
                          {d.name || '—'}
                        </CellText>
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{d.phone ?? '—'}</Table.Td>
                      <Table.Td>
                        <CellText maw={280}>{d.email ?? '—'}</CellText>
                      </Table.Td>
                      <Table.Td>{d.country ?? '—'}</Table.Td>
                      <Table.Td>
                        <DonorFlags d={d} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              <Group justify="space-between">
                <Text size="sm" c="dimmed" data-testid="donor-search-total">
                  {results.data.total.toLocaleString()} {results.data.total === 1 ? 'donor' : 'donors'}
                </Text>
                {results.data.total > PAGE_SIZE && (
                  <Pagination
                    total={Math.ceil(results.data.total / PAGE_SIZE)}
                    value={page}
                    onChange={(p) => {
                      const next = new URLSearchParams(params);
                      next.set('page', String(p));
                      setParams(next);
                    }}
                    size="sm"
                  />
                )}
              </Group>
            </Stack>
          )}
        </Paper>
      )}
      <MakeListModal
        q={q}
        count={results.data?.total ?? 0}
        opened={making}
        onClose={() => setMaking(false)}
        onMade={(id) => void navigate(`/manager/lists/${id}`)}
      />
    </>
  );
}

const YES_NO = [
  { value: 'true', label: 'Only marked' },
  { value: 'false', label: 'Not marked' },
];

/** Country, do not call, deceased, list and last gift: each applies at once (with the box's last search). */
function DonorFiltersBar({ filters, onChange }: { filters: DonorFilters; onChange: (f: DonorFilters) => void }) {
  const lists = useLists();
  const [range, setRange] = useState<DateRange>([filters.lastGiftFrom, filters.lastGiftTo]);
  const set = (patch: Partial<DonorFilters>) => onChange({ ...filters, ...patch });
  const yesNo = (v: string | null) => (v === 'true' || v === 'false' ? v : null);
  return (
    <Group gap="sm" align="flex-end" mb="md" data-testid="donor-filters">
      <Select
        label="Country"
        placeholder="Any country"
        data={countryOptions()}
        value={filters.country}
        onChange={(v) => set({ country: v })}
        searchable
        clearable
        w={220}
        data-testid="donor-filter-country"
      />
      <Select
        label="Do not call"
        placeholder="Either"
        data={YES_NO}
        value={filters.doNotCall}
        onChange={(v) => set({ doNotCall: yesNo(v) })}
        clearable
        w={150}
        data-testid="donor-filter-dnc"
      />
      <Select
        label="Deceased"
        placeholder="Either"
        data={YES_NO}
        value={filters.deceased}
        onChange={(v) => set({ deceased: yesNo(v) })}
        clearable
        w={150}
        data-testid="donor-filter-deceased"
      />
      <Select
        label="List"
        placeholder="Any list"
        data={(lists.data ?? []).map((l) => ({ value: String(l.id), label: l.name }))}
        value={filters.listId}
        onChange={(v) => set({ listId: v })}
        searchable
        clearable
        w={220}
        data-testid="donor-filter-list"
      />
      <DateRangeFilter
        label="Last gift"
        testId="donor-filter-last-gift"
        value={range}
        onPick={setRange}
        onApply={(from, to) => set({ lastGiftFrom: from, lastGiftTo: to })}
      />
    </Group>
  );
}

function MakeListModal({
  q,
  count,
  opened,
  onClose,
  onMade,
}: {
  q: string;
  count: number;
  opened: boolean;
  onClose: () => void;
  onMade: (listId: number) => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={650}>Make a list from these results</Text>} centered>
      {opened && <MakeListForm q={q} count={count} onClose={onClose} onMade={onMade} />}
    </Modal>
  );
}

function MakeListForm({
  q,
  count,
  onClose,
  onMade,
}: {
  q: string;
  count: number;
  onClose: () => void;
  onMade: (listId: number) => void;
}) {
  const make = useCreateListFromSearch();
  const form = useForm({
    mode: 'controlled',
    initialValues: { name: q ? `Search: ${q}` : 'All donors', description: '' },
    validate: validateWithSchema(createListFromSearchBodySchema.pick({ name: true, description: true })),
  });
  const submit = form.onSubmit((v) =>
    make.mutate(
      { name: v.name.trim(), description: v.description.trim(), q },
      {
        onSuccess: (list) => {
          onClose();
          onMade(list.id);
        },
        onError: (error) => showServerError(form, ['name', 'description'], error),
      },
    ),
  );
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Text size="sm">
          A new list with all {count.toLocaleString()} {count === 1 ? 'donor' : 'donors'} this search finds
          {q ? ` for “${q}”` : ''}, not just this page.
        </Text>
        <TextInput
          {...form.getInputProps('name')}
          label="List name"
          withAsterisk
          data-autofocus
          data-testid="search-list-name"
        />
        <Textarea {...form.getInputProps('description')} label="Description" autosize minRows={2} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={make.isPending} data-testid="search-list-save">
            Make the list
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
