import type { IncomingInboundCall } from '@engage/contracts';
import { Badge, Button, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { IconPhoneIncoming, IconPhoneOff } from '@tabler/icons-react';
import { useState } from 'react';
import { callerNumberLabel } from '../../../lib/phone-format';
import { formatDuration } from '../../../lib/time';
import { useNow } from '../../../lib/use-now';
import { useAnswerInbound, useDeclineInbound } from '../hooks/use-inbound';
import { useShortcuts } from '../hooks/use-shortcut';
import { ShortcutHint } from './shortcut-hint';

/**
 * An inbound call ringing the agent, over whatever they see: the line, the caller's number, the
 * donors with that number (or "New caller"), how long the caller has waited; Answer (A) and
 * Decline (D). The workspace opens on Answer; the pop goes with a confirmation on Decline.
 */
export function IncomingCallModal({ incoming }: { incoming: IncomingInboundCall | null }) {
  const answer = useAnswerInbound();
  const decline = useDeclineInbound();
  const now = useNow(1000);
  // When the caller arrived, by this browser's clock (the server sent how long they had waited).
  const [arrival, setArrival] = useState<{ id: number; at: number } | null>(null);
  if (incoming && arrival?.id !== incoming.inboundCallId) {
    setArrival({ id: incoming.inboundCallId, at: now - incoming.waitedSeconds * 1000 });
  }
  const busy = answer.isPending || decline.isPending;
  const doAnswer = () => {
    if (incoming && !busy) answer.mutate(incoming.inboundCallId);
  };
  const doDecline = () => {
    if (incoming && !busy) decline.mutate(incoming.inboundCallId);
  };
  useShortcuts(
    [
      ['a', doAnswer],
      ['d', doDecline],
    ],
    incoming !== null,
  );

  const waited = arrival ? Math.max(0, Math.floor((now - arrival.at) / 1000)) : 0;
  const ringLeft = incoming ? Math.max(0, Math.ceil((new Date(incoming.ringUntil).getTime() - now) / 1000)) : 0;

  return (
    <Modal
      opened={incoming !== null}
      // Only Answer or Decline ends the pop (or the call passing on): no accidental close.
      onClose={() => undefined}
      withCloseButton={false}
      closeOnClickOutside={false}
      closeOnEscape={false}
      centered
      zIndex={400}
      title={
        <Group gap="xs">
          <IconPhoneIncoming size={22} color="var(--mantine-color-green-8)" />
          <Text fw={700} size="lg">
            Incoming call
          </Text>
        </Group>
      }
      data-testid="incoming-call"
    >
      {incoming && (
        <Stack gap="md" data-testid="incoming-call-body" data-inbound-call-id={incoming.inboundCallId}>
          <Group justify="space-between" wrap="nowrap">
            <Badge variant="light" color="violet" size="lg" data-testid="incoming-line">
              {incoming.lineName}
            </Badge>
            <Text size="sm" c="dimmed" ff="monospace" data-testid="incoming-waited">
              Waited {formatDuration(waited)}
            </Text>
          </Group>
          <Text size="xl" fw={600} ff="monospace" data-testid="incoming-from">
            {callerNumberLabel(incoming.from)}
          </Text>
          {incoming.donors.length === 0 ? (
            <Title order={3} data-testid="incoming-new-caller">
              New caller
            </Title>
          ) : (
            <Stack gap={4} data-testid="incoming-donors">
              {incoming.donors.length > 1 && (
                <Text size="sm" c="dimmed">
                  {incoming.donors.length} donors have this number: you choose who is calling after you answer.
                </Text>
              )}
              {incoming.donors.map((d) => (
                <Group key={d.id} gap="sm" wrap="nowrap">
                  <Title order={3} data-testid="incoming-donor-name">
                    {d.name}
                  </Title>
                  <Text c="dimmed" ff="monospace" size="sm">
                    {d.reference}
                  </Text>
                </Group>
              ))}
            </Stack>
          )}
          <Text size="xs" c="dimmed" data-testid="incoming-ring-left">
            Passes to the next agent in {ringLeft} s unless you answer.
          </Text>
          <Group justify="flex-end" gap="sm">
            <Button
              variant="default"
              size="md"
              leftSection={<IconPhoneOff size={18} />}
              rightSection={<ShortcutHint keyLabel="D" />}
              onClick={doDecline}
              loading={decline.isPending}
              disabled={answer.isPending}
              aria-keyshortcuts="D"
              data-testid="incoming-decline"
            >
              Decline
            </Button>
            <Button
              size="md"
              color="green.8"
              leftSection={<IconPhoneIncoming size={18} />}
              rightSection={<ShortcutHint keyLabel="A" />}
              onClick={doAnswer}
              loading={answer.isPending}
              disabled={decline.isPending}
              aria-keyshortcuts="A"
              data-autofocus
              data-testid="incoming-answer"
            >
              Answer
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
