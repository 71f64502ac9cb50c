import type { CreateAppointmentBody, ManagerAppointment } from '@engage/contracts';
import { Alert, Button, Checkbox, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { IconAlertCircle, IconCalendarPlus } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import { isApiError } from '../../../lib/api-error';
import { notifyError, notifySuccess } from '../../../lib/notify';
import { agentTimeZone, formatDateTime } from '../../../lib/time';
import { donorCallingRules } from '../../../components/calling-hours-display';
import { useMe } from '../../auth/hooks/use-me';
import { useOrganisationSettings } from '../../organisation/api/organisation-api';
import { useBookAppointment } from '../hooks/use-my-work';
import { useMyCampaigns } from '../hooks/use-reference-data';
import { CallbackTimePicker, pickerInstant } from './callback-time';

const NOTES_MAX = 4000;

export interface BookingTarget {
  donorId: number;
  donorName: string;
  donorTimeZone: string;
  donorCountry: string | null;
  campaignId: number;
}

/**
 * Book appointment during a call: a time picked in the agent's zone and shown in the donor's too,
 * inside the campaign's calling hours (the server checks them and says which hours are allowed),
 * personal or for anyone in the campaign, with notes.
 */
export function BookAppointmentModal({
  opened,
  onClose,
  target,
  onBooked,
}: {
  opened: boolean;
  onClose: () => void;
  target: BookingTarget;
  onBooked: (appointment: ManagerAppointment) => void;
}) {
  const myCampaigns = useMyCampaigns();
  const organisation = useOrganisationSettings();
  const me = useMe();
  const book = useBookAppointment();
  const [scheduledAt, setScheduledAt] = useState<string | null>(null);
  const [personal, setPersonal] = useState(true);
  const [notes, setNotes] = useState('');
  const [timeError, setTimeError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  // One Idempotency-Key per submission, reused when the same submission is retried.
  const attempt = useRef<{ fingerprint: string; key: string } | null>(null);

  const campaign = myCampaigns.data?.find((c) => c.campaignId === target.campaignId);
  const rules = donorCallingRules(campaign, organisation.data, target.donorCountry);

  function close() {
    setTimeError(undefined);
    setFormError(null);
    onClose();
  }

  function submit() {
    if (book.isPending) return;
    const iso = pickerInstant(scheduledAt);
    if (iso === null) {
      setTimeError('Choose when to call back');
      return;
    }
    setTimeError(undefined);
    setFormError(null);
    const trimmed = notes.trim();
    const myId = me.data?.id;
    if (personal && myId === undefined) {
      setFormError('Your session is still loading. Try again in a moment.');
      return;
    }
    const body: CreateAppointmentBody = {
      donorId: target.donorId,
      campaignId: target.campaignId,
      scheduledAt: iso,
      ownerAgentId: personal ? myId : null,
      notes: trimmed === '' ? undefined : trimmed,
    };
    const fingerprint = JSON.stringify(body);
    if (attempt.current?.fingerprint !== fingerprint) attempt.current = { fingerprint, key: crypto.randomUUID() };
    book.mutate(
      { body, idempotencyKey: attempt.current.key },
      {
        onSuccess: (appointment) => {
          notifySuccess(`Call-back booked for ${formatDateTime(appointment.scheduledAt, agentTimeZone())}`);
          attempt.current = null;
          setScheduledAt(null);
          setNotes('');
          onBooked(appointment);
          close();
        },
        onError: (error) => {
          if (!isApiError(error)) {
            notifyError(error);
            return;
          }
          if (error.code === 'appointment_not_allowed' || error.issues.some((i) => i.path === 'body.scheduledAt')) {
            setTimeError(error.message);
          } else {
            setFormError(error.message);
          }
        },
      },
    );
  }

  return (
    <Modal opened={opened} onClose={close} title={`Book a call-back with ${target.donorName}`} centered>
      <form
        data-testid="book-appointment-modal"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
        noValidate
      >
        <Stack gap="sm">
          {formError && (
            <Alert
              color="red"
              variant="light"
              icon={<IconAlertCircle size={18} />}
              data-testid="book-appointment-error"
            >
              {formError}
            </Alert>
          )}
          <CallbackTimePicker
            value={scheduledAt}
            onChange={(value) => {
              setScheduledAt(value);
              setTimeError(undefined);
            }}
            error={timeError}
            donorTimeZone={target.donorTimeZone}
            rules={rules}
            testIdPrefix="book-appointment"
          />
          <Checkbox
            label="Personal call-back (only me)"
            description={personal ? undefined : 'Anyone working the campaign may make it'}
            checked={personal}
            onChange={(event) => setPersonal(event.currentTarget.checked)}
            data-testid="book-appointment-personal"
          />
          <Textarea
            label="Call-back notes"
            placeholder="What to talk about next time"
            autosize
            minRows={2}
            maxRows={5}
            maxLength={NOTES_MAX}
            value={notes}
            onChange={(event) => setNotes(event.currentTarget.value)}
            data-testid="book-appointment-notes"
          />
          <Text size="xs" c="dimmed">
            The donor stays with you until you end the call; the call-back is queued then.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button
              type="submit"
              leftSection={<IconCalendarPlus size={18} />}
              loading={book.isPending}
              data-testid="book-appointment-save"
            >
              Book call-back
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The Book appointment action of the donor profile during a call; disabled once a call-back is booked. */
export function BookAppointmentButton({
  target,
  booked,
  onBooked,
}: {
  target: BookingTarget;
  booked: ManagerAppointment | null;
  onBooked: (appointment: ManagerAppointment) => void;
}) {
  const [opened, setOpened] = useState(false);
  return (
    <>
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm" c="dimmed" data-testid="book-appointment-status">
          {booked
            ? `Call-back booked for ${formatDateTime(booked.scheduledAt, agentTimeZone())}${booked.owner ? ' (personal)' : ' (anyone in the campaign)'}`
            : 'Agreed to talk another time?'}
        </Text>
        <Button
          variant="light"
          leftSection={<IconCalendarPlus size={18} />}
          onClick={() => setOpened(true)}
          disabled={booked !== null}
          data-testid="book-appointment"
        >
          Book appointment
        </Button>
      </Group>
      <BookAppointmentModal opened={opened} onClose={() => setOpened(false)} target={target} onBooked={onBooked} />
    </>
  );
}
