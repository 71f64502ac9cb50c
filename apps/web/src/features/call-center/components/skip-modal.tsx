import { skipOutcomeEffects, type Offer } from '@engage/contracts';
import { Button, Group, Modal, Select, Stack, Text, Textarea } from '@mantine/core';
import { IconPlayerSkipForward } from '@tabler/icons-react';
import { useState } from 'react';
import { useDialer } from '../hooks/dialer-context';
import { useSkipReasons } from '../hooks/use-reference-data';
import { useSkipOffer } from '../hooks/use-shift';

const NOTES_MAX = 4000;

/** Skip the offered donor with a reason (required) and notes; the next donor then comes. */
export function SkipModal({ offer, opened, onClose }: { offer: Offer; opened: boolean; onClose: () => void }) {
  const skipReasons = useSkipReasons();
  const dialer = useDialer();
  const skip = useSkipOffer(() => void dialer.requestNext());
  const [reasonId, setReasonId] = useState<string | null>(null);
  const [notes, setNotes] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const reasons = skipReasons.data ?? [];
  const reason = reasons.find((r) => String(r.id) === reasonId);

  function close() {
    setReasonId(null);
    setNotes('');
    setReasonError(null);
    onClose();
  }

  function submit() {
    if (!reason) {
      setReasonError('Choose a skip reason');
      return;
    }
    const trimmed = notes.trim();
    skip.mutate(
      {
        offerId: offer.id,
        skipReasonId: reason.id,
        reasonName: reason.name,
        notes: trimmed === '' ? undefined : trimmed,
      },
      { onSuccess: close },
    );
  }

  return (
    <Modal
      opened={opened}
      onClose={skip.isPending ? () => undefined : close}
      title={
        <Text fw={650} size="lg">
          Skip {offer.donor.name}
        </Text>
      }
      centered
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <Stack gap="md" data-testid="skip-modal">
          <Select
            label="Skip reason"
            placeholder="Choose a reason"
            withAsterisk
            data={reasons.map((r) => ({ value: String(r.id), label: r.name }))}
            value={reasonId}
            onChange={(value) => {
              setReasonId(value);
              setReasonError(null);
            }}
            error={reasonError}
            description={
              reason
                ? skipOutcomeEffects[reason.outcome]
                : 'Some reasons let the donor be called later; others remove them from this campaign.'
            }
            allowDeselect={false}
            disabled={skipReasons.isPending}
            nothingFoundMessage="No skip reasons: ask your administrator to add one"
            data-autofocus
            data-testid="skip-reason-select"
          />
          <Textarea
            label="Notes"
            placeholder="Optional"
            autosize
            minRows={2}
            maxRows={6}
            maxLength={NOTES_MAX}
            value={notes}
            onChange={(event) => setNotes(event.currentTarget.value)}
            data-testid="skip-notes"
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} disabled={skip.isPending}>
              Cancel
            </Button>
            <Button
              type="submit"
              color={reason?.outcome === 'remove' ? 'red' : undefined}
              leftSection={<IconPlayerSkipForward size={16} />}
              loading={skip.isPending}
              data-testid="skip-confirm"
            >
              Skip donor
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
