import type { ManagerAppointment, UpdateAppointmentBody } from '@engage/contracts';
import { Alert, Button, Group, Modal, Select, Stack, Text, Textarea } from '@mantine/core';
import { DateTimePicker } from '@mantine/dates';
import { IconAlertCircle, IconCalendarEvent, IconUserShare, IconX } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { useState, type ReactNode } from 'react';
import { BothZones } from '../../../components/both-zones';
import { callingHoursHint, donorCallingRules } from '../../../components/calling-hours-display';
import { isApiError } from '../../../lib/api-error';
import { notifySuccess } from '../../../lib/notify';
import { agentTimeZone, formatDateTime } from '../../../lib/time';
import { useOrganisationSettings } from '../../organisation/api/organisation-api';
import { useCancelAppointment, useOwnerOptions, useUpdateAppointment } from '../api/appointments-api';

const NOTES_MAX = 4000;
const ANYONE = 'anyone';

function FormError({ message, testId }: { message: string | null; testId: string }) {
  if (message === null) return null;
  return (
    <Alert variant="light" color="red" icon={<IconAlertCircle size={18} />} data-testid={testId}>
      {message}
    </Alert>
  );
}

function Title({ children }: { children: ReactNode }) {
  return (
    <Text fw={650} size="lg">
      {children}
    </Text>
  );
}

function Who({ a }: { a: ManagerAppointment }) {
  return (
    <Text size="sm" c="dimmed">
      {a.donor.name} ({a.donor.reference}) · {a.campaign.name}
    </Text>
  );
}

function RescheduleForm({ appointment, onClose }: { appointment: ManagerAppointment; onClose: () => void }) {
  const update = useUpdateAppointment();
  const organisation = useOrganisationSettings();
  const [value, setValue] = useState<string | null>(dayjs(appointment.scheduledAt).format('YYYY-MM-DD HH:mm:ss'));
  const [notes, setNotes] = useState(appointment.notes);
  const [timeError, setTimeError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const iso = value ? dayjs(value).toISOString() : null;
  const timeChanged = iso !== null && new Date(iso).getTime() !== new Date(appointment.scheduledAt).getTime();
  const notesChanged = notes.trim() !== appointment.notes;

  function submit() {
    if (update.isPending) return;
    if (iso === null) {
      setTimeError('Choose the new date and time');
      return;
    }
    const body: UpdateAppointmentBody = {};
    if (timeChanged) body.scheduledAt = iso;
    if (notesChanged) body.notes = notes.trim();
    setTimeError(null);
    setFormError(null);
    update.mutate(
      { id: appointment.id, body },
      {
        onSuccess: (a) => {
          notifySuccess(
            timeChanged
              ? `${a.donor.name} will be called back ${formatDateTime(a.scheduledAt, agentTimeZone())}.`
              : `The notes of the call-back with ${a.donor.name} were saved.`,
            timeChanged ? 'Appointment rescheduled' : 'Appointment updated',
          );
          onClose();
        },
        onError: (error) => {
          if (!isApiError(error)) {
            setFormError('Something went wrong. Try again.');
            return;
          }
          if (error.code === 'appointment_not_allowed' || error.issues.some((i) => i.path === 'body.scheduledAt')) {
            setTimeError(error.message);
            return;
          }
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
      <Stack gap="sm" data-testid="reschedule-modal">
        <Who a={appointment} />
        <FormError message={formError} testId="reschedule-error" />
        <DateTimePicker
          label="Call back at"
          description={callingHoursHint(
            iso,
            appointment.donor.timeZone,
            donorCallingRules(appointment.campaign, organisation.data, appointment.donor.country),
          )}
          withAsterisk
          value={value}
          onChange={(v) => {
            setValue(v);
            setTimeError(null);
          }}
          minDate={dayjs().format('YYYY-MM-DD')}
          valueFormat="ddd D MMM YYYY, HH:mm"
          error={timeError}
          data-autofocus
          data-testid="reschedule-at"
        />
        {iso !== null && (
          <BothZones
            at={iso}
            donorTimeZone={appointment.donor.timeZone}
            rules={donorCallingRules(appointment.campaign, organisation.data, appointment.donor.country)}
            testIdPrefix="reschedule"
          />
        )}
        <Textarea
          label="Notes"
          autosize
          minRows={2}
          maxRows={6}
          maxLength={NOTES_MAX}
          value={notes}
          onChange={(event) => setNotes(event.currentTarget.value)}
          data-testid="reschedule-notes"
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose} disabled={update.isPending}>
            Cancel
          </Button>
          <Button
            type="submit"
            leftSection={<IconCalendarEvent size={16} />}
            loading={update.isPending}
            disabled={!timeChanged && !notesChanged}
            data-testid="reschedule-save"
          >
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function ReassignForm({ appointment, onClose }: { appointment: ManagerAppointment; onClose: () => void }) {
  const update = useUpdateAppointment();
  const options = useOwnerOptions(appointment.id);
  const current = appointment.owner ? String(appointment.owner.id) : ANYONE;
  const [value, setValue] = useState<string>(current);
  const [formError, setFormError] = useState<string | null>(null);
  const agents = [...(options.data?.agents ?? [])];
  if (appointment.owner && !agents.some((a) => a.id === appointment.owner?.id)) agents.unshift(appointment.owner);
  const data = [
    { value: ANYONE, label: 'Anyone in the campaign' },
    ...agents.map((a) => ({ value: String(a.id), label: a.name })),
  ];

  function submit() {
    if (update.isPending) return;
    setFormError(null);
    const ownerAgentId = value === ANYONE ? null : Number(value);
    update.mutate(
      { id: appointment.id, body: { ownerAgentId } },
      {
        onSuccess: (a) => {
          notifySuccess(
            a.owner
              ? `${a.owner.name} now calls ${a.donor.name} back.`
              : `Anyone in "${a.campaign.name}" may now call ${a.donor.name} back.`,
            'Appointment reassigned',
          );
          onClose();
        },
        onError: (error) => setFormError(isApiError(error) ? error.message : 'Something went wrong. Try again.'),
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
      <Stack gap="sm" data-testid="reassign-modal">
        <Who a={appointment} />
        <FormError message={formError} testId="reassign-error" />
        {options.isError && (
          <FormError
            message={isApiError(options.error) ? options.error.message : 'The agents could not be loaded.'}
            testId="reassign-options-error"
          />
        )}
        <Select
          label="Call-back owner"
          description="An agent of a team that works this campaign, or anyone in it."
          data={data}
          value={value}
          onChange={(v) => setValue(v ?? ANYONE)}
          allowDeselect={false}
          searchable
          disabled={options.isPending}
          data-autofocus
          data-testid="reassign-owner"
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose} disabled={update.isPending}>
            Cancel
          </Button>
          <Button
            type="submit"
            leftSection={<IconUserShare size={16} />}
            loading={update.isPending}
            disabled={value === current}
            data-testid="reassign-save"
          >
            Reassign
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function CancelForm({ appointment, onClose }: { appointment: ManagerAppointment; onClose: () => void }) {
  const cancel = useCancelAppointment();
  const [formError, setFormError] = useState<string | null>(null);
  return (
    <Stack gap="sm" data-testid="cancel-appointment-modal">
      <Text size="sm">
        Cancel the call-back with <b>{appointment.donor.name}</b> on{' '}
        {formatDateTime(appointment.scheduledAt, agentTimeZone())}? It leaves the dialer, and the donor goes back to the
        normal queue of “{appointment.campaign.name}”.
      </Text>
      <FormError message={formError} testId="cancel-appointment-error" />
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onClose} disabled={cancel.isPending} data-testid="cancel-appointment-keep">
          Keep it
        </Button>
        <Button
          color="red"
          leftSection={<IconX size={16} />}
          loading={cancel.isPending}
          onClick={() => {
            setFormError(null);
            cancel.mutate(appointment.id, {
              onSuccess: (a) => {
                notifySuccess(`The call-back with ${a.donor.name} was cancelled.`, 'Appointment cancelled');
                onClose();
              },
              onError: (error) => setFormError(isApiError(error) ? error.message : 'Something went wrong. Try again.'),
            });
          }}
          data-testid="cancel-appointment-confirm"
        >
          Cancel call-back
        </Button>
      </Group>
    </Stack>
  );
}

export type AppointmentAction = 'reschedule' | 'reassign' | 'cancel';

/** The modal of the action chosen on a row (none when `target` is null). */
export function AppointmentActionModal({
  target,
  onClose,
}: {
  target: { action: AppointmentAction; appointment: ManagerAppointment } | null;
  onClose: () => void;
}) {
  let title = '';
  let body: ReactNode = null;
  if (target !== null) {
    const { action, appointment } = target;
    const key = `${action}-${appointment.id}`;
    switch (action) {
      case 'reschedule':
        title = 'Reschedule call-back';
        body = <RescheduleForm key={key} appointment={appointment} onClose={onClose} />;
        break;
      case 'reassign':
        title = 'Reassign call-back';
        body = <ReassignForm key={key} appointment={appointment} onClose={onClose} />;
        break;
      case 'cancel':
        title = 'Cancel call-back';
        body = <CancelForm key={key} appointment={appointment} onClose={onClose} />;
        break;
    }
  }
  return (
    <Modal opened={target !== null} onClose={onClose} title={<Title>{title}</Title>} centered>
      {body}
    </Modal>
  );
}
