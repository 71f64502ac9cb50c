import type { AuditTrailEntry } from '@engage/contracts';
import { Alert, Badge, Center, Drawer, Group, Loader, Stack, Text, Timeline } from '@mantine/core';
import { IconAlertCircle, IconArrowRight, IconHistory } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { isApiError } from '../../../lib/api-error';
import { agentTimeZone, formatDateTime } from '../../../lib/time';
import { useAuditTrail } from '../api/audit-api';

/** How the fields kept in audit records read to a person; ids give way to their names. */
const FIELD_LABELS: Record<string, string> = {
  endReasonName: 'End reason',
  notes: 'Notes',
  scheduledAt: 'Scheduled at',
  ownerName: 'Owner',
  status: 'Status',
  name: 'Name',
  currencies: 'Currencies',
  defaultCurrency: 'Default currency',
  donationGraceMinutes: 'Donations after End Call (minutes)',
  alt_phone: 'Alternative phone',
  address_line1: 'Address line 1',
  address_line2: 'Address line 2',
  time_zone: 'Time zone',
  do_not_call: 'Do not call',
};

const ACTION_LABELS: Record<string, string> = {
  update: 'Changed',
  reschedule: 'Rescheduled',
  reassign: 'Reassigned',
  cancel: 'Cancelled',
  create: 'Created',
  retire: 'Retired',
  disable: 'Disabled',
  import: 'Imported',
  import_started: 'Import started',
  export: 'Exported',
  rename: 'Renamed',
  add_donors: 'Donors added',
};

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A field's label: from FIELD_LABELS, else its camelCase or snake_case name in words ("first_name": "First name"). */
export function labelOf(field: string): string {
  return (
    FIELD_LABELS[field] ??
    field
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .replace(/_/g, ' ')
      .toLowerCase()
      .replace(/^./, (c) => c.toUpperCase())
  );
}

function valueText(field: string, value: unknown, timeZone: string): string {
  if (value === null || value === undefined || value === '') {
    return field === 'ownerName' ? 'Anyone in the campaign' : '(none)';
  }
  if (typeof value === 'string') {
    if (ISO_INSTANT.test(value)) return formatDateTime(value, timeZone);
    return field === 'status' ? value.charAt(0).toUpperCase() + value.slice(1) : value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(', ');
  return JSON.stringify(value);
}

interface Change {
  field: string;
  before: unknown;
  after: unknown;
}

/** The fields an entry changed; an id is left out when its name is there too (endReasonId, ownerAgentId). */
export function changesOf(entry: Pick<AuditTrailEntry, 'before' | 'after'>): Change[] {
  const before = isRecord(entry.before) ? entry.before : {};
  const after = isRecord(entry.after) ? entry.after : {};
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const named = new Set(fields.filter((f) => f.endsWith('Name')).map((f) => f.slice(0, -4)));
  return fields
    .filter((f) => !(f.endsWith('Id') && (named.has(f.slice(0, -2)) || named.has(f.replace(/AgentId$/, '')))))
    .filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]))
    .map((field) => ({ field, before: before[field], after: after[field] }));
}

function ChangeLine({ change, timeZone }: { change: Change; timeZone: string }) {
  return (
    <Group gap={6} wrap="nowrap" align="flex-start" data-testid="audit-change" data-field={change.field}>
      <Text size="sm" c="dimmed" miw={96}>
        {labelOf(change.field)}
      </Text>
      <Text size="sm" td="line-through" c="dimmed" style={{ whiteSpace: 'pre-wrap' }} data-testid="audit-before">
        {valueText(change.field, change.before, timeZone)}
      </Text>
      <IconArrowRight size={14} style={{ flexShrink: 0, marginTop: 4 }} aria-label="changed to" />
      <Text size="sm" fw={500} style={{ whiteSpace: 'pre-wrap' }} data-testid="audit-after">
        {valueText(change.field, change.after, timeZone)}
      </Text>
    </Group>
  );
}

/** Who changed a record, when, and each field from what to what: newest first. */
export function AuditTrail({ entityType, entityId }: { entityType: string; entityId: number }) {
  const trail = useAuditTrail(entityType, entityId);
  const timeZone = agentTimeZone();
  if (trail.isPending) {
    return (
      <Center py="lg">
        <Loader size="sm" />
      </Center>
    );
  }
  if (trail.isError) {
    return (
      <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} data-testid="audit-error">
        {isApiError(trail.error) ? trail.error.message : 'The history could not be loaded. Close it and try again.'}
      </Alert>
    );
  }
  const entries = trail.data.entries;
  if (entries.length === 0) {
    return (
      <Text c="dimmed" size="sm" data-testid="audit-empty">
        No changes yet: this record is as it was first made.
      </Text>
    );
  }
  return (
    <Timeline bulletSize={22} lineWidth={2} data-testid="audit-trail" data-count={entries.length}>
      {entries.map((e) => {
        const changes = changesOf(e);
        return (
          <Timeline.Item
            key={e.id}
            bullet={<IconHistory size={12} />}
            title={
              <Group gap={6}>
                <Badge variant="light" size="sm">
                  {entityType === 'call' && e.action === 'update' ? 'Corrected' : (ACTION_LABELS[e.action] ?? e.action)}
                </Badge>
                <Text size="sm" fw={600} data-testid="audit-actor">
                  {e.actor?.name ?? 'The system'}
                </Text>
              </Group>
            }
            data-testid="audit-entry"
            data-action={e.action}
          >
            <Text size="xs" c="dimmed" mb={4} data-testid="audit-at">
              {formatDateTime(e.at, timeZone)}
            </Text>
            <Stack gap={2}>
              {changes.length === 0 ? (
                <Text size="sm" c="dimmed">
                  No field changed.
                </Text>
              ) : (
                changes.map((c) => <ChangeLine key={c.field} change={c} timeZone={timeZone} />)
              )}
            </Stack>
          </Timeline.Item>
        );
      })}
    </Timeline>
  );
}

/** The audit trail in a drawer at the right, e.g. behind a "History" button. */
export function AuditDrawer({
  entityType,
  entityId,
  title,
  onClose,
}: {
  entityType: string;
  /** null: closed. */
  entityId: number | null;
  title: ReactNode;
  onClose: () => void;
}) {
  return (
    <Drawer
      opened={entityId !== null}
      onClose={onClose}
      position="right"
      size="md"
      title={
        <Text fw={650} size="lg">
          {title}
        </Text>
      }
      data-testid="audit-drawer"
    >
      {entityId !== null && <AuditTrail entityType={entityType} entityId={entityId} />}
    </Drawer>
  );
}
