import type { AuditTrailEntry } from '@engage/contracts';
import { Alert, Badge, Center, Drawer, Group, Loader, Stack, Text, Timeline } from '@mantine/core';
import { IconAlertCircle, IconArrowRight, IconHistory } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { isApiError } from '../../../lib/api-error';
import { agentTimeZone, formatDateTime } from '../../../lib/time';
import { useAuditTrail } from '../api/audit-api';
import { actionLabel, changesOf, labelOf, subjectOf, valueText, type Change } from '../../../lib/audit-changes';

function ChangeLine({ change, timeZone }: { change: Change; timeZone: string }) {
  return (
    <Group gap={6} wrap="nowrap" align="flex-start" data-testid="audit-change" data-field={change.field}>
      <Text size="sm" c="dimmed" miw={96} style={{ flexShrink: 0 }}>
        {labelOf(change.field)}
      </Text>
      {!change.added && (
        <>
          <Text size="sm" td="line-through" c="dimmed" style={{ whiteSpace: 'pre-wrap' }} data-testid="audit-before">
            {valueText(change.field, change.before, timeZone)}
          </Text>
          <IconArrowRight size={14} style={{ flexShrink: 0, marginTop: 4 }} aria-label="changed to" />
        </>
      )}
      <Text size="sm" fw={500} style={{ whiteSpace: 'pre-wrap' }} data-testid="audit-after">
        {valueText(change.field, change.after, timeZone)}
      </Text>
    </Group>
  );
}

/** Each field an audit entry changed, as "Label  before → after". */
export function AuditChanges({ entry, timeZone }: { entry: AuditTrailEntry; timeZone: string }) {
  const changes = changesOf(entry);
  const subject = subjectOf(entry);
  return (
    <Stack gap={2}>
      {subject !== null && (
        <Text size="sm" c="dimmed">
          {subject}
        </Text>
      )}
      {changes.length === 0 ? (
        <Text size="sm" c="dimmed">
          No field changed.
        </Text>
      ) : (
        changes.map((c) => <ChangeLine key={c.field} change={c} timeZone={timeZone} />)
      )}
    </Stack>
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
      {entries.map((e) => (
        <Timeline.Item
          key={e.id}
          bullet={<IconHistory size={12} />}
          title={
            <Group gap={6}>
              <Badge variant="light" size="sm">
                {actionLabel(entityType, e.action)}
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
          <AuditChanges entry={e} timeZone={timeZone} />
        </Timeline.Item>
      ))}
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
