import { endOutcomeEffect, endReasonFits, type Call, type EndCallBody } from '@engage/contracts';
import { Alert, Button, Card, Checkbox, Group, Select, Stack, Switch, Textarea, Title } from '@mantine/core';
import { IconCalendarCheck, IconPhoneOff } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import { donorCallingRules } from '../../../components/calling-hours-display';
import { isApiError } from '../../../lib/api-error';
import { useOrganisationSettings } from '../../organisation/api/organisation-api';
import { notifyError } from '../../../lib/notify';
import { useDialer } from '../hooks/dialer-context';
import { useEndReasons, useMyCampaigns } from '../hooks/use-reference-data';
import { useShortcuts } from '../hooks/use-shortcut';
import { useEndCall } from '../hooks/use-shift';
import { agentTimeZone, formatDateTime } from '../../../lib/time';
import { useSoftphone } from '../softphone/softphone-context';
import { CallbackTimePicker, pickerInstant } from './callback-time';
import { ShortcutHint } from './shortcut-hint';

type Field = 'endReasonId' | 'notes' | 'scheduledAt' | 'appointmentNotes';

const NOTES_MAX = 4000;

function fieldOf(path: string): Field | undefined {
  const name = path.replace(/^body\./, '');
  if (name === 'endReasonId' || name === 'notes') return name;
  if (name === 'appointment' || name === 'appointment.scheduledAt' || name === 'appointment.personal')
    return 'scheduledAt';
  if (name === 'appointment.notes') return 'appointmentNotes';
  return undefined;
}

/**
 * End Call: end reason (required) and notes; a call-back is booked when the reason's outcome is
 * "appointment", unless one was already booked during the call (`bookedAt`: Book appointment),
 * which the call-back reason then keeps. Then the next donor comes, unless "Stop after this call"
 * is on (or the job role takes inbound calls only: no donor, no switch). Shortcut E.
 */
export function EndCallPanel({
  call,
  donorTimeZone,
  donorCountry,
  bookedAt = null,
}: {
  call: Call;
  donorTimeZone: string;
  donorCountry: string | null;
  bookedAt?: string | null;
}) {
  const endReasons = useEndReasons();
  const myCampaigns = useMyCampaigns();
  const organisation = useOrganisationSettings();
  const dialer = useDialer();
  const { phone, snapshot } = useSoftphone();
  // End Call hangs up a line still open (the donor has not hung up), once the server has accepted it.
  const end = useEndCall(
    () => void dialer.requestNext(),
    (callId) => {
      phone?.hangup();
      phone?.clearEnded(callId);
    },
  );
  const line = snapshot.line.state !== 'idle' && snapshot.line.callId === call.id ? snapshot.line : null;
  // The softphone's line of this call is not answered (still ringing) or ended without an answer (busy, no answer, failed).
  const neverConnected =
    line?.state === 'dialling' || line?.state === 'ringing' || (line?.state === 'ended' && line.cause !== 'normal');
  const [confirmedUnconnected, setConfirmedUnconnected] = useState<number | null>(null);
  const [reasonId, setReasonId] = useState<string | null>(null);
  const [notes, setNotes] = useState('');
  const [scheduledAt, setScheduledAt] = useState<string | null>(null);
  const [personal, setPersonal] = useState(true);
  const [appointmentNotes, setAppointmentNotes] = useState('');
  const [stopAfter, setStopAfter] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const reasonRef = useRef<HTMLInputElement>(null);
  // One Idempotency-Key per End Call submission, reused when the same submission is retried.
  const attempt = useRef<{ fingerprint: string; key: string } | null>(null);

  // Only the reasons for this call's direction (endReasonFits: the rule End Call applies).
  const reasons = (endReasons.data ?? []).filter((r) => endReasonFits(r.direction, call.direction));
  const reason = reasons.find((r) => String(r.id) === reasonId);
  const booking = reason?.outcome === 'appointment' && bookedAt === null;
  const scheduledIso = pickerInstant(scheduledAt);
  const campaign = myCampaigns.data?.find((c) => c.campaignId === call.campaignId);
  const rules = donorCallingRules(campaign, organisation.data, donorCountry);

  function clearError(field: Field) {
    setErrors((e) => ({ ...e, [field]: undefined }));
  }

  function submit() {
    if (end.isPending) return;
    if (!reason) {
      setErrors({ endReasonId: 'Choose an end reason' });
      reasonRef.current?.focus();
      return;
    }
    if (booking && scheduledIso === null) {
      setErrors({ scheduledAt: 'Choose when to call back' });
      return;
    }
    if (neverConnected && reason.countsAsContact && confirmedUnconnected !== reason.id) {
      setErrors({
        endReasonId: `The call ${line?.state === 'ended' ? 'never connected' : 'has not been answered'}: "${reason.name}" records a conversation. Choose another reason, or press End Call again to record it anyway.`,
      });
      setConfirmedUnconnected(reason.id);
      return;
    }
    setErrors({});
    const trimmedNotes = notes.trim();
    const trimmedAppointmentNotes = appointmentNotes.trim();
    const body: EndCallBody = {
      endReasonId: reason.id,
      notes: trimmedNotes === '' ? undefined : trimmedNotes,
      appointment:
        booking && scheduledIso !== null
          ? {
              scheduledAt: scheduledIso,
              personal,
              notes: trimmedAppointmentNotes === '' ? undefined : trimmedAppointmentNotes,
            }
          : undefined,
    };
    const fingerprint = JSON.stringify(body);
    if (attempt.current?.fingerprint !== fingerprint) attempt.current = { fingerprint, key: crypto.randomUUID() };
    end.mutate(
      {
        callId: call.id,
        donorId: call.donorId,
        body,
        idempotencyKey: attempt.current.key,
        // A shift that takes no donors (inbound calls only) always stops: it waits for the next call.
        stopAfter: stopAfter || !dialer.takesDonors,
      },
      {
        onError: (error) => {
          if (!isApiError(error)) {
            notifyError(error);
            return;
          }
          if (error.code === 'appointment_required' || error.code === 'appointment_not_allowed') {
            setErrors({ scheduledAt: error.message });
            return;
          }
          const inline: Partial<Record<Field, string>> = {};
          for (const issue of error.issues) {
            const field = fieldOf(issue.path);
            if (field) inline[field] = issue.message;
          }
          if (Object.keys(inline).length > 0) setErrors(inline);
          else notifyError(error);
        },
      },
    );
  }

  useShortcuts([['e', submit]], !dialer.overlayOpen);

  return (
    <Card
      withBorder
      radius="md"
      padding="md"
      data-testid="end-call-panel"
      style={{ borderColor: 'var(--mantine-color-red-3)' }}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
        noValidate
      >
        <Stack gap="sm">
          <Title order={3} size="h5">
            End Call
          </Title>
          <Select
            ref={reasonRef}
            label="End reason"
            placeholder="How did the call end?"
            withAsterisk
            data={reasons.map((r) => ({ value: String(r.id), label: r.name }))}
            value={reasonId}
            onChange={(value) => {
              setReasonId(value);
              clearError('endReasonId');
            }}
            description={reason ? endOutcomeEffect(reason.outcome, reason.retryMinutes) : undefined}
            error={errors.endReasonId}
            allowDeselect={false}
            disabled={endReasons.isPending}
            maxDropdownHeight={320}
            data-testid="end-reason-select"
          />
          {bookedAt !== null && (
            <Alert
              color="teal"
              variant="light"
              icon={<IconCalendarCheck size={18} />}
              p="xs"
              data-testid="appointment-booked"
            >
              Call-back booked for {formatDateTime(bookedAt, agentTimeZone())} (your time): ending the call keeps it,
              whatever the reason (do not call cancels it).
            </Alert>
          )}
          {booking && (
            <Stack gap="xs" data-testid="appointment-fields">
              <CallbackTimePicker
                value={scheduledAt}
                onChange={(value) => {
                  setScheduledAt(value);
                  clearError('scheduledAt');
                }}
                error={errors.scheduledAt}
                donorTimeZone={donorTimeZone}
                rules={rules}
                testIdPrefix="appointment"
              />
              <Checkbox
                label="Personal call-back (only me)"
                checked={personal}
                onChange={(event) => setPersonal(event.currentTarget.checked)}
                data-testid="appointment-personal"
              />
              <Textarea
                label="Call-back notes"
                placeholder="What to talk about next time"
                autosize
                minRows={1}
                maxRows={4}
                maxLength={NOTES_MAX}
                value={appointmentNotes}
                onChange={(event) => {
                  setAppointmentNotes(event.currentTarget.value);
                  clearError('appointmentNotes');
                }}
                error={errors.appointmentNotes}
                data-testid="appointment-notes"
              />
            </Stack>
          )}
          <Textarea
            label="Notes"
            placeholder="What was said, what was agreed"
            autosize
            minRows={2}
            maxRows={6}
            maxLength={NOTES_MAX}
            value={notes}
            onChange={(event) => {
              setNotes(event.currentTarget.value);
              clearError('notes');
            }}
            error={errors.notes}
            data-testid="end-notes"
          />
          <Group justify={dialer.takesDonors ? 'space-between' : 'flex-end'} wrap="nowrap">
            {dialer.takesDonors && (
              <Switch
                label="Stop after this call"
                checked={stopAfter}
                onChange={(event) => setStopAfter(event.currentTarget.checked)}
                data-testid="stop-after-call"
              />
            )}
            <Button
              type="submit"
              color="red"
              size="md"
              leftSection={<IconPhoneOff size={18} />}
              rightSection={<ShortcutHint keyLabel="E" />}
              loading={end.isPending}
              aria-keyshortcuts="E"
              data-testid="end-call"
            >
              End Call
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
