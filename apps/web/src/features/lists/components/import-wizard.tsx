import { importFieldLabels, importFields, importMappingMatchIssue, startImportBodySchema } from '@engage/contracts';
import type { ImportField, ImportMapping, StartImportBody, UploadedImport } from '@engage/contracts';
import {
  Alert,
  Badge,
  Button,
  FileInput,
  Group,
  Modal,
  Progress,
  ScrollArea,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { IconAlertTriangle, IconDownload, IconFileTypeCsv, IconUpload } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { isApiError } from '../../../lib/api-error';
import { validateWithSchema } from '../../../lib/form-validation';
import { notifyError, notifySuccess } from '../../../lib/notify';
import { listsKeys, uploadImport, useImport, useStartImport } from '../api/lists-api';
import { countryOptions } from '../../../lib/countries';
import { matchingText, uncallableText } from '../utils/import-text';

const DELIMITER_NAMES = { ',': 'commas', ';': 'semicolons', '\t': 'tabs' } as const;
const ENCODING_NAMES = {
  'utf-8': 'read as UTF-8',
  'windows-1252': 'read as Windows-1252 (older Excel) and converted to UTF-8',
} as const;

const NOT_IMPORTED = '__not_imported__';

/**
 * The mapping step's check: startImport's schema, and the column to find known donors by, which the
 * server checks with the file's own columns (so every issue of a mapping answers together).
 */
const validateMapping = validateWithSchema<StartImportBody>(startImportBodySchema, {
  extra: ({ mapping }) => ({ 'mapping.reference': importMappingMatchIssue(mapping) }),
});

/** "Import CSV" on a list: choose and upload a file, map its columns, run it, read the summary. */
export function ImportWizard({
  listId,
  listName,
  opened,
  onClose,
  resume,
}: {
  listId: number;
  listName: string;
  opened: boolean;
  onClose: () => void;
  /** An upload not started yet: the wizard opens at its mapping step. */
  resume?: UploadedImport | null;
}) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={<Text fw={650}>Import a CSV file into {listName}</Text>}
      size="xl"
      centered
      closeOnClickOutside={false}
    >
      {opened && <Wizard key={resume?.import.id ?? 'new'} listId={listId} onClose={onClose} resume={resume ?? null} />}
    </Modal>
  );
}

function Wizard({ listId, onClose, resume }: { listId: number; onClose: () => void; resume: UploadedImport | null }) {
  const [uploaded, setUploaded] = useState<UploadedImport | null>(resume);
  const [startedId, setStartedId] = useState<number | null>(null);
  if (startedId !== null) return <ImportProgress importId={startedId} listId={listId} onClose={onClose} />;
  if (uploaded)
    return (
      <MappingStep uploaded={uploaded} listId={listId} onStarted={setStartedId} onBack={() => setUploaded(null)} />
    );
  return <UploadStep upload={(file, p, signal) => uploadImport(listId, file, p, signal)} onUploaded={setUploaded} />;
}

type Upload = (file: File, onProgress: (fraction: number) => void, signal: AbortSignal) => Promise<UploadedImport>;

/** Choose a CSV file and upload it (`upload` sends it into a list); answers the import with its preview. */
export function UploadStep({ upload: send, onUploaded }: { upload: Upload; onUploaded: (u: UploadedImport) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const upload = async () => {
    if (!file) {
      setError('Choose a CSV file first.');
      return;
    }
    setError(null);
    setProgress(0);
    abort.current = new AbortController();
    try {
      const result = await send(file, setProgress, abort.current.signal);
      notifySuccess(`${result.import.fileName} uploaded: check the columns`);
      onUploaded(result);
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') return;
      // Shown under the file: what is wrong with it and what to do.
      setError(isApiError(err) ? err.message : 'The upload failed. Try again.');
    } finally {
      setProgress(null);
    }
  };

  return (
    <Stack gap="md" data-testid="import-upload-step">
      <Text size="sm">
        A CSV file whose first row names the columns, best saved in Excel as <b>CSV UTF-8</b> (File › Save As › CSV
        UTF-8); older Excel files (Windows-1252) are converted. Donors already known by their reference (or, without a
        reference column, by phone or email) are updated, not duplicated.
      </Text>
      <FileInput
        label="CSV file"
        placeholder="Choose a file"
        accept=".csv,text/csv,text/plain"
        leftSection={<IconFileTypeCsv size={16} />}
        value={file}
        onChange={(f) => {
          setFile(f);
          setError(null);
        }}
        clearable
        error={error}
        disabled={progress !== null}
        data-testid="import-file"
      />
      {progress !== null && (
        <Stack gap={4}>
          <Progress value={progress * 100} animated data-testid="import-upload-progress" />
          <Text size="xs" c="dimmed">
            Uploading… {Math.round(progress * 100)}%
          </Text>
        </Stack>
      )}
      <Group justify="flex-end">
        <Button
          leftSection={<IconUpload size={16} />}
          onClick={() => void upload()}
          loading={progress !== null}
          disabled={!file}
          data-testid="import-upload"
        >
          Upload
        </Button>
      </Group>
    </Stack>
  );
}

/**
 * The preview and the column mapping. Starts the import, or, with `onMapped`, only hands the
 * checked mapping on (the New campaign from a file flow starts it at launch).
 */
export function MappingStep({
  uploaded,
  listId,
  onStarted,
  onMapped,
  initial,
  onBack,
}: {
  uploaded: UploadedImport;
  listId: number;
  onStarted?: (importId: number) => void;
  onMapped?: (body: StartImportBody) => void;
  /** A mapping chosen before (coming back to this step), instead of the suggested one. */
  initial?: StartImportBody | null;
  onBack: () => void;
}) {
  const { preview } = uploaded;
  const [mapping, setMapping] = useState<ImportMapping>(initial?.mapping ?? preview.suggestedMapping);
  const [country, setCountry] = useState<string | null>(initial?.defaultCountry ?? 'GB');
  const [issues, setIssues] = useState<Record<string, ReactNode>>({});
  const start = useStartImport(listId);
  const matching = matchingText(mapping);
  const headerOptions = useMemo(
    () => [{ value: NOT_IMPORTED, label: 'Not imported' }, ...preview.headers.map((h) => ({ value: h, label: h }))],
    [preview.headers],
  );
  const fieldOfHeader = useMemo(() => {
    const m = new Map<string, ImportField>();
    for (const f of importFields) {
      const h = mapping[f];
      if (h) m.set(h, f);
    }
    return m;
  }, [mapping]);

  const setField = (field: ImportField, header: string | null) => {
    setIssues((i) => ({ ...i, [`mapping.${field}`]: '' }));
    setMapping((m) => {
      const next = { ...m };
      if (header) next[field] = header;
      else delete next[field];
      return next;
    });
  };

  const submit = () => {
    // The country list never offers an empty choice; '' only lets the schema say what is missing.
    const body: StartImportBody = { mapping, defaultCountry: country ?? '' };
    const local = validateMapping(body);
    setIssues(local);
    if (Object.keys(local).length > 0) return;
    if (onMapped) {
      onMapped(body);
      return;
    }
    start.mutate(
      { importId: uploaded.import.id, body },
      {
        onSuccess: (imp) => onStarted?.(imp.id),
        onError: (error) => {
          if (isApiError(error) && error.issues.length > 0) {
            setIssues(Object.fromEntries(error.issues.map((i) => [i.path.replace(/^body\./, ''), i.message])));
          }
          notifyError(error);
        },
      },
    );
  };

  return (
    <Stack gap="md">
      <Group gap="xs">
        <Badge variant="light" leftSection={<IconFileTypeCsv size={14} />}>
          {uploaded.import.fileName}
        </Badge>
        <Text size="sm" c="dimmed">
          {uploaded.import.totalRows !== null
            ? `${uploaded.import.totalRows.toLocaleString()} ${uploaded.import.totalRows === 1 ? 'row' : 'rows'} · `
            : ''}
          {preview.rows.length === 1 ? 'it is shown below' : `the first ${preview.rows.length} are shown below`}
          {` · columns separated by ${DELIMITER_NAMES[preview.delimiter]}`}
          {` · ${ENCODING_NAMES[uploaded.import.encoding]}`}
        </Text>
      </Group>
      <ScrollArea type="auto" offsetScrollbars>
        <Table withTableBorder withColumnBorders fz="xs" striped data-testid="import-preview">
          <Table.Thead>
            <Table.Tr>
              {preview.headers.map((h) => (
                <Table.Th key={h} style={{ whiteSpace: 'nowrap' }}>
                  {h}
                  <Text size="xs" c={fieldOfHeader.has(h) ? 'teal' : 'dimmed'} fw={400}>
                    {fieldOfHeader.has(h) ? `→ ${importFieldLabels[fieldOfHeader.get(h)!]}` : 'not imported'}
                  </Text>
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {preview.rows.map((row, i) => (
              <Table.Tr key={i} data-testid="import-preview-row">
                {row.map((cell, j) => (
                  <Table.Td
                    key={j}
                    style={{ whiteSpace: 'nowrap', maxWidth: 220, overflow: 'hidden', textOverflow: 'ellipsis' }}
                  >
                    {cell}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
      <Text fw={600} size="sm">
        Which column holds each donor field?
      </Text>
      <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="sm" data-testid="import-mapping">
        {importFields.map((field) => (
          <Select
            key={field}
            label={importFieldLabels[field]}
            data={headerOptions}
            value={mapping[field] ?? NOT_IMPORTED}
            onChange={(v) => setField(field, v === NOT_IMPORTED ? null : v)}
            allowDeselect={false}
            error={issues[`mapping.${field}`] || undefined}
            data-testid={`import-mapping-${field}`}
            comboboxProps={{ withinPortal: true }}
          />
        ))}
      </SimpleGrid>
      {matching && (
        <Alert color="blue" variant="light" data-testid="import-matching">
          {matching}
        </Alert>
      )}
      <Select
        label="Default country"
        description="Phone numbers written without +country code are read as numbers of this country"
        data={countryOptions()}
        value={country}
        onChange={setCountry}
        searchable
        allowDeselect={false}
        error={issues.defaultCountry || undefined}
        maw={360}
        data-testid="import-default-country"
      />
      <Group justify="space-between">
        <Button variant="default" onClick={onBack}>
          Choose another file
        </Button>
        <Button onClick={submit} loading={start.isPending} data-testid={onMapped ? 'import-mapped' : 'import-start'}>
          {onMapped ? 'Next' : 'Start import'}
        </Button>
      </Group>
    </Stack>
  );
}

function Count({ label, value, testId, color }: { label: string; value: number; testId: string; color?: string }) {
  return (
    <Stack gap={0} align="center">
      <Text size="xl" fw={700} c={color} data-testid={testId} data-value={value}>
        {value.toLocaleString()}
      </Text>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
    </Stack>
  );
}

/** An import's progress bar and, once it ends, its summary; `onClose` adds a Close button. */
export function ImportProgress({
  importId,
  listId,
  onClose,
}: {
  importId: number;
  listId: number;
  onClose?: () => void;
}) {
  const imp = useImport(importId);
  const queryClient = useQueryClient();
  const status = imp.data?.status;
  const finishedOnce = useRef(false);
  useEffect(() => {
    if ((status === 'done' || status === 'failed') && !finishedOnce.current) {
      finishedOnce.current = true;
      if (status === 'done') notifySuccess('Import finished');
      void queryClient.invalidateQueries({ queryKey: listsKeys.list(listId) });
      void queryClient.invalidateQueries({ queryKey: ['lists', listId, 'members'] });
      void queryClient.invalidateQueries({ queryKey: listsKeys.imports(listId) });
      void queryClient.invalidateQueries({ queryKey: listsKeys.all, exact: true });
    }
  }, [status, listId, queryClient]);

  if (!imp.data) {
    return imp.isError ? (
      <Alert color="red" title="The import could not be read">
        {imp.error.message}
      </Alert>
    ) : (
      <Progress value={100} animated striped />
    );
  }
  const d = imp.data;
  const total = d.totalRows ?? 0;
  const percent = d.status === 'done' ? 100 : total > 0 ? Math.min(100, (d.processedRows / total) * 100) : 0;
  const hasErrors = d.rejected + d.duplicates + d.warnings > 0;
  return (
    <Stack gap="md">
      <Stack gap={4}>
        <Progress
          value={percent}
          animated={d.status === 'running'}
          color={d.status === 'failed' ? 'red' : d.status === 'done' ? 'teal' : 'blue'}
          size="lg"
          data-testid="import-progress"
          data-status={d.status}
          aria-label="Import progress"
        />
        <Text size="sm" c="dimmed">
          {d.status === 'running' &&
            `Importing… ${d.processedRows.toLocaleString()}${total ? ` of ${total.toLocaleString()}` : ''} rows`}
          {d.status === 'done' &&
            `Done: ${d.processedRows.toLocaleString()} rows in ${((d.durationMs ?? 0) / 1000).toFixed(1)} s`}
          {d.status === 'failed' && 'The import stopped.'}
        </Text>
      </Stack>
      {d.status === 'failed' && d.error && (
        <Alert color="red" icon={<IconAlertTriangle size={18} />} title="The import did not finish">
          {d.error}
        </Alert>
      )}
      {(d.status === 'done' || d.status === 'failed') && (
        <Group justify="space-around" data-testid="import-summary" data-status={d.status}>
          <Count label="created" value={d.created} testId="import-created" color="teal" />
          <Count label="updated" value={d.updated} testId="import-updated" color="blue" />
          <Count label="rejected" value={d.rejected} testId="import-rejected" color={d.rejected ? 'red' : undefined} />
          <Count label="duplicates skipped" value={d.duplicates} testId="import-duplicates" />
        </Group>
      )}
      {d.status !== 'running' && d.uncallable > 0 && (
        <Alert color="orange" icon={<IconAlertTriangle size={18} />} data-testid="import-uncallable">
          {uncallableText(d.uncallable)}
        </Alert>
      )}
      <Group justify="space-between">
        {hasErrors && d.status !== 'running' ? (
          <Button
            component="a"
            href={`/api/imports/${d.id}/errors`}
            download
            variant="light"
            leftSection={<IconDownload size={16} />}
            onClick={() => notifySuccess('The error report is downloading')}
            data-testid="import-errors-download"
          >
            Download error report
          </Button>
        ) : (
          <span />
        )}
        {onClose && (
          <Button variant={d.status === 'running' ? 'default' : 'filled'} onClick={onClose} data-testid="import-close">
            {d.status === 'running' ? 'Hide (the import goes on)' : 'Close'}
          </Button>
        )}
      </Group>
    </Stack>
  );
}
