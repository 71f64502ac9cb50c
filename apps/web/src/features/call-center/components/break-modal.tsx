import type { Shift } from '@engage/contracts';
import { Alert, Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCoffee } from '@tabler/icons-react';
import { useState } from 'react';
import { useBreakReasons } from '../hooks/use-reference-data';
import { useTakeBreak } from '../hooks/use-shift';

/** Take Break: choose a break reason. While previewing, the donor is released (the server does it). */
export function BreakModal({ shift, opened, onClose }: { shift: Shift; opened: boolean; onClose: () => void }) {
  const breakReasons = useBreakReasons();
  const takeBreak = useTakeBreak();
  const [reasonId, setReasonId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reasons = breakReasons.data ?? [];
  const reason = reasons.find((r) => String(r.id) === reasonId);

  function close() {
    setReasonId(null);
    setError(null);
    onClose();
  }

  function submit() {
    if (!reason) {
      setError('Choose a break reason');
      return;
    }
    takeBreak.mutate({ breakReasonId: reason.id, reasonName: reason.name }, { onSuccess: close });
  }

  return (
    <Modal
      opened={opened}
      onClose={takeBreak.isPending ? () => undefined : close}
      title={
        <Text fw={650} size="lg">
          Take Break
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
        <Stack gap="md" data-testid="break-modal">
          {shift.state === 'previewing' && shift.offer && (
            <Alert
              color="yellow"
              variant="light"
              icon={<IconAlertTriangle size={18} />}
              data-testid="break-releases-donor"
            >
              {shift.offer.donor.name} is released when your break starts: another agent may call them.
            </Alert>
          )}
          <Select
            label="Break reason"
            placeholder="Choose a reason"
            data={reasons.map((r) => ({ value: String(r.id), label: r.name }))}
            value={reasonId}
            onChange={(value) => {
              setReasonId(value);
              setError(null);
            }}
            error={error}
            allowDeselect={false}
            disabled={breakReasons.isPending}
            nothingFoundMessage="No break reasons: ask your administrator to add one"
            data-autofocus
            data-testid="break-reason-select"
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} disabled={takeBreak.isPending}>
              Cancel
            </Button>
            <Button
              type="submit"
              leftSection={<IconCoffee size={16} />}
              loading={takeBreak.isPending}
              data-testid="break-confirm"
            >
              Take Break
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
