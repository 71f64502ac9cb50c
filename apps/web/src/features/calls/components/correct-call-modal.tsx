import { endReasonFits, type EndReason, type ManagerCall, type UpdateCallBody } from '@engage/contracts';
import { Alert, Button, Checkbox, Group, Modal, Select, Stack, Text, Textarea } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { isApiError } from '../../../lib/api-error';
import { notifySuccess } from '../../../lib/notify';
import { useUpdateCall } from '../api/calls-api';
import { useEndReasonOptions } from '../api/reference-api';
import { callerLabel } from './caller';

const NOTES_MAX = 4000;

/** What applying a reason's outcome will do, as End Call would (the server decides; see updateCall). */
function outcomeText(reason: Pick<EndReason, 'outcome' | 'retryMinutes'>, call: ManagerCall): string {
  const who = callerLabel(call);
  const where = call.campaign ? `"${call.campaign.name}"` : 'the campaign';
  switch (reason.outcome) {
    case 'do_not_call':
      return `${who} will be marked do not call and leave every campaign's queue at once.`;
    case 'final':
      return `${who} will not be called again in ${where}.`;
    case 'retry':
      return `${who} will be queued again in ${where} in ${reason.retryMinutes ?? 60} minutes.`;
    case 'appointment':
      return `The queue stays as it is, unless a call-back was booked on this call.`;
  }
}

function CorrectCallForm({ call, onClose }: { call: ManagerCall; onClose: () => void }) {
  const endReasons = useEndReasonOptions();
  const update = useUpdateCall();
  const [reasonId, setReasonId] = useState<string | null>(call.endReason ? String(call.endReason.id) : null);
  const [notes, setNotes] = useState(call.notes);
  const [applyOutcome, setApplyOutcome] = useState(true);
  const [fieldErrors, setFieldErrors] = useState<{ endReasonId?: string; notes?: string }>({});
  const [formError, setFormError] = useState<string | null>(null);

  // The current reason stays choosable even if it has been retired since.
  // Only the reasons for the call's direction (endReasonFits, the rule the server applies).
  const options = (endReasons.data ?? []).filter((r) => endReasonFits(r.direction, call.direction));
  if (call.endReason && !options.some((r) => r.id === call.endReason?.id)) {
    options.unshift({
      ...call.endReason,
      retryMinutes: null,
      countsAsContact: false,
      countsAsSuccess: false,
      direction: 'both',
    });
  }
  const reasonChanged = reasonId !== (call.endReason ? String(call.endReason.id) : null);
  const changed = reasonChanged || notes.trim() !== call.notes;
  const chosen = options.find((r) => String(r.id) === reasonId);

  function submit() {
    if (update.isPending) return;
    if (reasonId === null) {
      setFieldErrors({ endReasonId: 'Choose an end reason' });
      return;
    }
    const body: UpdateCallBody = {};
    if (reasonId !== String(call.endReason?.id)) body.endReasonId = Number(reasonId);
    if (notes.trim() !== call.notes) body.notes = notes.trim();
    if (body.endReasonId !== undefined) body.applyOutcome = applyOutcome;
    setFieldErrors({});
    setFormError(null);
    update.mutate(
      { callId: call.id, body },
      {
        onSuccess: (corrected) => {
          notifySuccess(
            `The call with ${callerLabel(call)} was corrected.${corrected.outcome ? ` ${corrected.outcome.message}` : ''}`,
            'Call corrected',
          );
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
          {callerLabel(call)}
          {call.donor ? ` (${call.donor.reference})` : ''}, {call.direction === 'inbound' ? 'answered' : 'called'} by{' '}
          {call.agent.name}
        </Text>
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
        {reasonChanged && chosen && (
          <Checkbox
            label="Apply the new end reason's outcome"
            description={
              applyOutcome
                ? `${outcomeText(chosen, call)} If the donor is with an agent now or has been called since, that stands.`
                : 'Only the record changes: the dialer carries on as before.'
            }
            checked={applyOutcome}
            onChange={(event) => setApplyOutcome(event.currentTarget.checked)}
            data-testid="correct-apply-outcome"
          />
        )}
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

/**
 * "Correct": a manager fixes a call's end reason and notes; the new reason's outcome follows unless
 * unticked, and the change goes into its history.
 */
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
