import type { ManagerCall, UpdateCallBody } from '@engage/contracts';
import { Alert, Button, Group, Modal, Select, Stack, Text, Textarea } from '@mantine/core';
import { IconAlertCircle, IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { isApiError } from '../../../lib/api-error';
import { notifySuccess } from '../../../lib/notify';
import { useUpdateCall } from '../api/calls-api';
import { useEndReasonOptions } from '../api/reference-api';

const NOTES_MAX = 4000;

function CorrectCallForm({ call, onClose }: { call: ManagerCall; onClose: () => void }) {
  const endReasons = useEndReasonOptions();
  const update = useUpdateCall();
  const [reasonId, setReasonId] = useState<string | null>(call.endReason ? String(call.endReason.id) : null);
  const [notes, setNotes] = useState(call.notes);
  const [fieldErrors, setFieldErrors] = useState<{ endReasonId?: string; notes?: string }>({});
  const [formError, setFormError] = useState<string | null>(null);

  // The current reason stays choosable even if it has been retired since.
  const options = [...(endReasons.data ?? [])];
  if (call.endReason && !options.some((r) => r.id === call.endReason?.id)) {
    options.unshift({ ...call.endReason, retryMinutes: null, countsAsContact: false, countsAsSuccess: false });
  }
  const changed = reasonId !== (call.endReason ? String(call.endReason.id) : null) || notes.trim() !== call.notes;

  function submit() {
    if (update.isPending) return;
    if (reasonId === null) {
      setFieldErrors({ endReasonId: 'Choose an end reason' });
      return;
    }
    const body: UpdateCallBody = {};
    if (reasonId !== String(call.endReason?.id)) body.endReasonId = Number(reasonId);
    if (notes.trim() !== call.notes) body.notes = notes.trim();
    setFieldErrors({});
    setFormError(null);
    update.mutate(
      { callId: call.id, body },
      {
        onSuccess: () => {
          notifySuccess(`The call with ${call.donor.name} was corrected.`, 'Call corrected');
          onClose();
        },
        onError: (error) => {
          if (!isApiError(error)) {
            setFormError('Something went wrong. Try again.');
            return;
          }
          const inline: { endReasonId?: string; notes?: string } = {};
          for (const issue of error.issues) {
            if (issue.path === 'body.endReasonId') inline.endReasonId = issue.message;
            if (issue.path === 'body.notes') inline.notes = issue.message;
          }
          setFieldErrors(inline);
          setFormError(error.message);
        },
      },
    );
  }

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
      noValidate
    >
      <Stack gap="md" data-testid="correct-call-modal">
        <Text size="sm" c="dimmed">
          {call.donor.name} ({call.donor.reference}), called by {call.agent.name}
        </Text>
        <Alert variant="light" color="blue" icon={<IconInfoCircle size={18} />} p="xs">
          <Text size="sm">
            This corrects the record only. The dialer does not act on the new end reason: no retry, call-back or
            do-not-call follows from it.
          </Text>
        </Alert>
        {formError !== null && (
          <Alert variant="light" color="red" icon={<IconAlertCircle size={18} />} data-testid="correct-call-error">
            {formError}
          </Alert>
        )}
        <Select
          label="End reason"
          withAsterisk
          searchable
          data={options.map((r) => ({ value: String(r.id), label: r.name }))}
          value={reasonId}
          onChange={(value) => {
            setReasonId(value);
            setFieldErrors((e) => ({ ...e, endReasonId: undefined }));
          }}
          error={fieldErrors.endReasonId}
          allowDeselect={false}
          disabled={endReasons.isPending}
          data-autofocus
          data-testid="correct-end-reason"
        />
        <Textarea
          label="Notes"
          autosize
          minRows={3}
          maxRows={8}
          maxLength={NOTES_MAX}
          value={notes}
          onChange={(event) => {
            setNotes(event.currentTarget.value);
            setFieldErrors((e) => ({ ...e, notes: undefined }));
          }}
          error={fieldErrors.notes}
          data-testid="correct-notes"
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose} disabled={update.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={update.isPending} disabled={!changed} data-testid="correct-save">
            Save correction
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** "Correct": a manager fixes a call's end reason and notes; the change goes into its history. */
export function CorrectCallModal({ call, onClose }: { call: ManagerCall | null; onClose: () => void }) {
  return (
    <Modal
      opened={call !== null}
      onClose={onClose}
      title={
        <Text fw={650} size="lg">
          Correct call #{call?.id}
        </Text>
      }
      centered
    >
      {call !== null && <CorrectCallForm key={call.id} call={call} onClose={onClose} />}
    </Modal>
  );
}
