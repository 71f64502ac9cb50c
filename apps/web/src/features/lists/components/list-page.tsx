import type { Import, ImportStatus, UploadedImport } from '@engage/contracts';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  Pagination,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { IconArrowLeft, IconDownload, IconFileImport, IconPencil } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { PageHeader } from '../../../components/page-header';
import { notifyError, notifySuccess } from '../../../lib/notify';
import { formatDate, formatDateTime } from '../../../lib/time';
import { useCurrentUser } from '../../../lib/session';
import { ConfirmModal } from '../../../components/confirm-modal';
import {
  fetchImportPreview,
  listsKeys,
  useDeleteImport,
  useList,
  useListImports,
  useListMembers,
  useStartImport,
} from '../api/lists-api';
import { DonorFlags } from '../../../components/donor-flags';
import { ImportWizard } from './import-wizard';
import { listUncallableText, uncallableText } from '../utils/import-text';
import { ListFormModal } from './list-form-modal';

const PAGE_SIZE = 50;

const STATUS_COLOR: Record<ImportStatus, string> = {
  uploaded: 'gray',
  running: 'blue',
  done: 'teal',
  failed: 'red',
  expired: 'gray',
};
const STATUS_LABEL: Record<ImportStatus, string> = {
  uploaded: 'Not started',
  running: 'Running',
  done: 'Done',
  failed: 'Failed',
  expired: 'Expired',
};

function Members({ listId }: { listId: number }) {
  const [page, setPage] = useState(1);
  const members = useListMembers(listId, page, PAGE_SIZE);
  const navigate = useNavigate();
  if (members.isPending) return <Loader size="sm" />;
  if (members.isError) {
    return (
      <Alert color="red" title="The donors could not be loaded">
        {members.error.message}
      </Alert>
    );
  }
  const { total } = members.data;
  if (total === 0) {
    return (
      <Text c="dimmed" data-testid="members-empty">
        This list has no donors yet. Import a CSV file, or make a list from a donor search.
      </Text>
    );
  }
  return (
    <Stack gap="sm">
      <Table striped highlightOnHover verticalSpacing="xs" data-testid="members-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Reference</Table.Th>
            <Table.Th>Name</Table.Th>
            <Table.Th>Phone</Table.Th>
            <Table.Th>Email</Table.Th>
            <Table.Th>Country</Table.Th>
            <Table.Th>Flags</Table.Th>
            <Table.Th>Added</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {members.data.members.map((m) => (
            <Table.Tr
              key={m.id}
              data-testid="member-row"
              data-reference={m.reference}
              style={{ cursor: 'pointer' }}
              onClick={() => void navigate(`/manager/donors/${m.id}`)}
            >
              <Table.Td ff="monospace">{m.reference}</Table.Td>
              <Table.Td>{m.name || '—'}</Table.Td>
              <Table.Td>{m.phone ?? '—'}</Table.Td>
              <Table.Td>{m.email ?? '—'}</Table.Td>
              <Table.Td>{m.country ?? '—'}</Table.Td>
              <Table.Td>
                <DonorFlags d={m} />
              </Table.Td>
              <Table.Td>{formatDate(m.addedAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {total.toLocaleString()} donors
        </Text>
        {total > PAGE_SIZE && (
          <Pagination
            total={Math.ceil(total / PAGE_SIZE)}
            value={page}
            onChange={setPage}
            size="sm"
            data-testid="members-pagination"
          />
        )}
      </Group>
    </Stack>
  );
}

/** Starts a failed import again with its own mapping (rows already imported are updated, not duplicated). */
function RestartButton({ imp }: { imp: Import }) {
  const start = useStartImport(imp.listId);
  if (imp.status !== 'failed' || !imp.mapping || !imp.defaultCountry) return null;
  const { mapping, defaultCountry } = imp;
  return (
    <Button
      size="compact-xs"
      variant="light"
      loading={start.isPending}
      onClick={() => start.mutate({ importId: imp.id, body: { mapping, defaultCountry } }, { onError: notifyError })}
      data-testid="import-restart"
    >
      Start again
    </Button>
  );
}

/**
 * An upload never started: Resume opens its mapping step again, Delete removes it (its file and
 * row). Shown to its uploader and to administrators, whom the server also checks.
 */
function UnstartedActions({ imp, onResume }: { imp: Import; onResume: (u: UploadedImport) => void }) {
  const me = useCurrentUser();
  const remove = useDeleteImport(imp.listId);
  const [confirming, setConfirming] = useState(false);
  const [opening, setOpening] = useState(false);
  if (imp.status !== 'uploaded' || (imp.uploadedBy !== me.id && me.role !== 'admin')) return null;
  const resume = () => {
    setOpening(true);
    fetchImportPreview(imp.id)
      .then(onResume, notifyError)
      .finally(() => setOpening(false));
  };
  return (
    <>
      <Button size="compact-xs" variant="light" loading={opening} onClick={resume} data-testid="import-resume">
        Resume
      </Button>
      <Button
        size="compact-xs"
        variant="subtle"
        color="red"
        onClick={() => setConfirming(true)}
        data-testid="import-delete"
      >
        Delete
      </Button>
      <ConfirmModal
        opened={confirming}
        title="Delete this upload?"
        confirmLabel="Delete upload"
        loading={remove.isPending}
        onConfirm={() => remove.mutate(imp, { onSuccess: () => setConfirming(false), onError: notifyError })}
        onClose={() => setConfirming(false)}
        testId="import-delete"
      >
        {imp.fileName} was uploaded but never imported. Its file is deleted from the server; no donor changes. To import
        it later, upload it again.
      </ConfirmModal>
    </>
  );
}

function Imports({ imports, onResume }: { imports: Import[]; onResume: (u: UploadedImport) => void }) {
  if (imports.length === 0) return null;
  return (
    <Card withBorder radius="md" padding="md">
      <Title order={2} size="h5" mb="sm">
        Imports
      </Title>
      <Table verticalSpacing="xs" fz="sm" data-testid="imports-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>File</Table.Th>
            <Table.Th>Uploaded</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th ta="right">Created</Table.Th>
            <Table.Th ta="right">Updated</Table.Th>
            <Table.Th ta="right">Rejected</Table.Th>
            <Table.Th ta="right">Duplicates</Table.Th>
            <Table.Th ta="right" title="Donors imported with no phone number: they will not be called">
              No phone
            </Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {imports.map((i) => (
            <Table.Tr key={i.id} data-testid="import-row" data-status={i.status}>
              <Table.Td>{i.fileName}</Table.Td>
              <Table.Td>{formatDateTime(i.createdAt)}</Table.Td>
              <Table.Td>
                <Badge color={STATUS_COLOR[i.status]} variant="light" title={i.error ?? undefined}>
                  {STATUS_LABEL[i.status]}
                  {i.status === 'running' && i.totalRows
                    ? ` ${Math.floor((i.processedRows / i.totalRows) * 100)}%`
                    : ''}
                </Badge>
                {i.status === 'expired' && i.error && (
                  <Text size="xs" c="dimmed" maw={260} data-testid="import-expired">
                    {i.error}
                  </Text>
                )}
              </Table.Td>
              <Table.Td ta="right">{i.created.toLocaleString()}</Table.Td>
              <Table.Td ta="right">{i.updated.toLocaleString()}</Table.Td>
              <Table.Td ta="right">{i.rejected.toLocaleString()}</Table.Td>
              <Table.Td ta="right">{i.duplicates.toLocaleString()}</Table.Td>
              <Table.Td ta="right">
                {i.uncallable > 0 ? (
                  <Text span size="sm" c="orange" title={uncallableText(i.uncallable)} data-testid="import-uncallable">
                    {i.uncallable.toLocaleString()}
                  </Text>
                ) : (
                  0
                )}
              </Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  {i.rejected + i.duplicates + i.warnings > 0 && i.status !== 'running' && (
                    <Anchor href={`/api/imports/${i.id}/errors`} download size="sm">
                      Error report
                    </Anchor>
                  )}
                  <RestartButton imp={i} />
                  <UnstartedActions imp={i} onResume={onResume} />
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

/** One list: its donors (paged), its imports, Import CSV, Export CSV, Rename. */
export function ListPage() {
  const listId = Number(useParams().listId);
  const list = useList(listId);
  const imports = useListImports(listId);
  // `?import=1` (a list just created): the import opens at once.
  const [searchParams, setSearchParams] = useSearchParams();
  const [importing, setImporting] = useState(() => searchParams.get('import') === '1');
  const [resume, setResume] = useState<UploadedImport | null>(null);
  const closeImport = () => {
    setImporting(false);
    setResume(null);
    if (searchParams.has('import')) setSearchParams({}, { replace: true });
  };
  const [renaming, setRenaming] = useState(false);
  const queryClient = useQueryClient();
  const running = imports.data?.some((i) => i.status === 'running') ?? false;
  const wasRunning = useRef(running);
  // An import that finished while its window was closed: the counts and the donors change.
  useEffect(() => {
    if (wasRunning.current && !running) {
      void queryClient.invalidateQueries({ queryKey: listsKeys.list(listId) });
      void queryClient.invalidateQueries({ queryKey: ['lists', listId, 'members'] });
    }
    wasRunning.current = running;
  }, [running, listId, queryClient]);

  if (list.isPending) return <Loader />;
  if (list.isError) {
    return (
      <>
        <PageHeader title="List" />
        <Alert color="red" title="The list could not be loaded">
          {list.error.message}{' '}
          <Anchor component={Link} to="/manager/lists">
            Back to the lists
          </Anchor>
        </Alert>
      </>
    );
  }
  const l = list.data;
  return (
    <>
      <Anchor component={Link} to="/manager/lists" size="sm">
        <Group gap={4}>
          <IconArrowLeft size={14} /> Lists
        </Group>
      </Anchor>
      <PageHeader title={l.name} description={l.description || undefined} />
      <Group justify="space-between" mb="md" align="flex-start">
        <Stack gap={4}>
          <Text data-testid="list-donor-count">
            <b>{l.donorCount.toLocaleString()}</b> donors
            {l.createdBy ? ` · made by ${l.createdBy}` : ''} · {formatDate(l.createdAt)}
          </Text>
          {l.uncallableCount > 0 && (
            <Text size="sm" c="orange.8" data-testid="list-uncallable">
              {listUncallableText(l.uncallableCount)}
            </Text>
          )}
          <Group gap={4}>
            <Text size="sm" c="dimmed">
              Campaigns:
            </Text>
            {l.campaigns.length === 0 ? (
              <Text size="sm" c="dimmed">
                none yet (connect the list on a campaign’s page)
              </Text>
            ) : (
              l.campaigns.map((c) => (
                <Badge
                  key={c.id}
                  variant="light"
                  component={Link}
                  to={`/manager/campaigns/${c.id}`}
                  style={{ cursor: 'pointer' }}
                >
                  {c.name} · priority {c.priority}
                </Badge>
              ))
            )}
          </Group>
        </Stack>
        <Group gap="sm">
          <Button
            variant="default"
            leftSection={<IconPencil size={16} />}
            onClick={() => setRenaming(true)}
            data-testid="list-rename"
          >
            Rename
          </Button>
          <Button
            variant="default"
            component="a"
            href={`/api/lists/${l.id}/export`}
            download
            leftSection={<IconDownload size={16} />}
            onClick={() => notifySuccess(`The export of ${l.name} is downloading`)}
            data-testid="export-list"
          >
            Export CSV
          </Button>
          <Button
            leftSection={<IconFileImport size={16} />}
            onClick={() => setImporting(true)}
            data-testid="import-open"
          >
            Import CSV
          </Button>
        </Group>
      </Group>
      <Stack gap="md">
        {imports.data && (
          <Imports
            imports={imports.data}
            onResume={(u) => {
              setResume(u);
              setImporting(true);
            }}
          />
        )}
        <Card withBorder radius="md" padding="md">
          <Title order={2} size="h5" mb="sm">
            Donors
          </Title>
          <Members listId={l.id} />
        </Card>
      </Stack>
      <ImportWizard listId={l.id} listName={l.name} opened={importing} onClose={closeImport} resume={resume} />
      <ListFormModal list={l} opened={renaming} onClose={() => setRenaming(false)} />
    </>
  );
}
