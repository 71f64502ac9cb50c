import { Alert, Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPhoneIncoming } from '@tabler/icons-react';
import { useState } from 'react';
import { isApiError } from '../../../lib/api-error';
import { showServerError } from '../../../lib/form-errors';
import { formatPhoneNumber } from '../../../lib/phone-format';
import { useLogInbound, useMyInboundLines } from '../hooks/use-inbound';

interface Values {
  from: string;
  lineId: string | null;
}
const FIELDS = ['from', 'lineId'] as const;

/**
 * Log inbound call (no phone system): the agent picked up a desk phone, types the caller's number
 * (empty: withheld) and, when their teams answer several lines, the line; the call then opens as
 * an answered one, with the donors that number matches.
 */
export function LogInboundCallModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const lines = useMyInboundLines(opened);
  const log = useLogInbound();
  const [refusal, setRefusal] = useState<string | null>(null);
  const choices = lines.data?.lines ?? [];
  const form = useForm<Values>({
    initialValues: { from: '', lineId: null },
    validate: {
      lineId: (v) => (choices.length > 1 && v === null ? 'Choose the line the caller rang' : null),
    },
  });

  function close() {
    form.reset();
    setRefusal(null);
    onClose();
  }

  return (
    <Modal
      opened={opened}
      onClose={log.isPending ? () => undefined : close}
      title={
        <Text fw={650} size="lg">
          Log inbound call
        </Text>
      }
      centered
    >
      <form
        onSubmit={form.onSubmit((v) => {
          setRefusal(null);
          log.mutate(
            { from: v.from, ...(v.lineId !== null ? { lineId: Number(v.lineId) } : {}) },
            {
              onSuccess: close,
              onError: (error) =>
                showServerError(form, FIELDS, error, (e) =>
                  setRefusal(isApiError(e) ? e.message : 'The call could not be logged. Try again.'),
                ),
            },
          );
        })}
      >
        <Stack gap="sm">
          <TextInput
            label="Caller's number"
            description="As the desk phone shows it, in any format; leave it empty when withheld"
            placeholder="07700 900123"
            data-autofocus
            data-testid="log-inbound-from"
            {...form.getInputProps('from')}
          />
          {choices.length > 1 && (
            <Select
              label="Line"
              placeholder="The line the caller rang"
              data-testid="log-inbound-line"
              data={choices.map((l) => ({ value: String(l.id), label: `${l.name} (${formatPhoneNumber(l.number)})` }))}
              {...form.getInputProps('lineId')}
            />
          )}
          {choices.length === 1 && (
            <Text size="sm" c="dimmed">
              Line: {choices[0]!.name} ({formatPhoneNumber(choices[0]!.number)})
            </Text>
          )}
          {refusal && (
            <Alert color="red" variant="light" data-testid="log-inbound-refusal">
              {refusal}
            </Alert>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} disabled={log.isPending}>
              Cancel
            </Button>
            <Button type="submit" leftSection={<IconPhoneIncoming size={16} />} loading={log.isPending}>
              Take the call
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
