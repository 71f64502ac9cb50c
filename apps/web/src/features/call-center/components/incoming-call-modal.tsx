import type { IncomingInboundCall } from '@engage/contracts';
import { Badge, Button, Group, Modal, Radio, Stack, Text, Title } from '@mantine/core';
import { IconPhoneIncoming, IconPhoneOff } from '@tabler/icons-react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { callerNumberLabel } from '../../../lib/phone-format';
import { formatDuration } from '../../../lib/time';
import { useNow } from '../../../lib/use-now';
import { useTitleFlash } from '../../../lib/use-title-flash';
import { useAnswerInbound, useDeclineInbound } from '../hooks/use-inbound';
import { isTypingTarget, useShortcuts } from '../hooks/use-shortcut';
import { useSoftphone } from '../softphone/softphone-context';
import { ShortcutHint } from './shortcut-hint';

/** How long after the agent's last keystroke in a field the pop's A and D shortcuts wait. */
const TYPING_PAUSE_MS = 1500;

/**
 * An inbound call ringing the agent, over whatever they see: the line, the caller's number, the
 * donors with that number (or "New caller"), how long the caller has waited; Answer (A) and
 * Decline (D). When several donors share the number the agent may pick who is calling (a radio
 * list; none picked: they choose after answering): Answer then opens that donor at once. The
 * workspace opens on Answer; the pop goes with a confirmation on Decline. Escape does nothing (no
 * silent decline). It is an alertdialog: a screen reader announces it as it appears.
 */
export function IncomingCallModal({ incoming }: { incoming: IncomingInboundCall | null }) {
  // With a phone system the softphone rings too: Answer and Decline act there (use-inbound).
  const { phone, snapshot } = useSoftphone();
  const answer = useAnswerInbound(phone);
  const decline = useDeclineInbound(phone);
  const onSoftphone = incoming !== null && snapshot.incoming?.inboundCallId === incoming.inboundCallId;
  const now = useNow(1000);
  // When the caller arrived, by this browser's clock (the server sent how long they had waited).
  const [arrival, setArrival] = useState<{ id: number; at: number } | null>(null);
  if (incoming && arrival?.id !== incoming.inboundCallId) {
    setArrival({ id: incoming.inboundCallId, at: now - incoming.waitedSeconds * 1000 });
  }
  // The donor picked in the pop (several share the number), for this call only.
  const [picked, setPicked] = useState<{ callId: number; donorId: number } | null>(null);
  const several = incoming !== null && incoming.donors.length > 1;
  const chosen =
    several && picked?.callId === incoming.inboundCallId
      ? (incoming.donors.find((d) => d.id === picked.donorId) ?? null)
      : null;
  const busy = answer.isPending || decline.isPending;
  const doAnswer = () => {
    if (incoming && !busy)
      answer.mutate({
        inboundCallId: incoming.inboundCallId,
        donor: chosen ? { id: chosen.id, name: chosen.name } : undefined,
      });
  };
  const doDecline = () => {
    if (incoming && !busy) decline.mutate(incoming.inboundCallId);
  };
  // The pop takes the focus (Answer): keys the agent was still typing into a field as it appeared
  // must not answer or decline. A and D wait until they have stopped typing for TYPING_PAUSE_MS.
  const lastTypedAt = useRef(0);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTypingTarget(event.target)) lastTypedAt.current = Date.now();
    };
    document.addEventListener('keydown', onKey, true);
    return () => document.removeEventListener('keydown', onKey, true);
  }, []);
  const unlessTyping = (action: () => void) => () => {
    if (Date.now() - lastTypedAt.current >= TYPING_PAUSE_MS) action();
  };
  // An agent in another tab sees the call in the tab's title.
  useTitleFlash(incoming ? `Incoming call: ${incoming.lineName}` : null);
  useShortcuts(
    [
      ['a', unlessTyping(doAnswer)],
      ['d', unlessTyping(doDecline)],
    ],
    incoming !== null,
  );
  // Mantine's modal is a "dialog"; an incoming call interrupts whatever the agent does, so it is an
  // "alertdialog" (announced at once by screen readers).
  const asAlertDialog = useCallback((node: HTMLElement | null) => {
    node?.setAttribute('role', 'alertdialog');
  }, []);

  const waited = arrival ? Math.max(0, Math.floor((now - arrival.at) / 1000)) : 0;
  const ringLeft = incoming ? Math.max(0, Math.ceil((new Date(incoming.ringUntil).getTime() - now) / 1000)) : 0;

  return (
    <Modal.Root
      opened={incoming !== null}
      // Only Answer or Decline ends the pop (or the call passing on): no accidental close, and
      // Escape never declines.
      onClose={() => undefined}
      closeOnClickOutside={false}
      closeOnEscape={false}
      centered
      zIndex={400}
      data-testid="incoming-call"
    >
      <Modal.Overlay />
      <Modal.Content ref={asAlertDialog}>
        <Modal.Header>
          <Modal.Title>
            <Group gap="xs">
              <IconPhoneIncoming size={22} color="var(--mantine-color-green-8)" />
              <Text fw={700} size="lg">
                Incoming call
              </Text>
            </Group>
          </Modal.Title>
        </Modal.Header>
        <Modal.Body>
          {incoming && (
            <Stack
              gap="md"
              data-testid="incoming-call-body"
              data-inbound-call-id={incoming.inboundCallId}
              data-softphone={onSoftphone ? 'ringing' : undefined}
            >
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
              ) : several ? (
                <Radio.Group
                  value={chosen ? String(chosen.id) : null}
                  onChange={(v) => setPicked({ callId: incoming.inboundCallId, donorId: Number(v) })}
                  label={`${incoming.donors.length} donors have this number: who is calling?`}
                  description="Pick one and Answer opens them at once; or answer and choose then."
                  data-testid="incoming-donors"
                >
                  <Stack gap={6} mt="xs">
                    {incoming.donors.map((d) => (
                      <Radio
                        key={d.id}
                        value={String(d.id)}
                        disabled={busy}
                        data-testid="incoming-donor-choice"
                        label={
                          <Group gap="sm" wrap="nowrap">
                            <Text fw={600} data-testid="incoming-donor-name">
                              {d.name}
                            </Text>
                            <Text c="dimmed" ff="monospace" size="sm">
                              {d.reference}
                            </Text>
                          </Group>
                        }
                      />
                    ))}
                  </Stack>
                </Radio.Group>
              ) : (
                <Stack gap={4} data-testid="incoming-donors">
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
                {ringLeft > 0
                  ? `Passes to the next agent in ${ringLeft} s unless you answer.`
                  : 'Ring time over: passing the call to the next agent…'}
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
        </Modal.Body>
      </Modal.Content>
    </Modal.Root>
  );
}
