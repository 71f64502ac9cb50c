import type { Call } from '@engage/contracts';
import { Alert, Badge, Button, Card, Group, Popover, SimpleGrid, Stack, Text, Tooltip } from '@mantine/core';
import {
  IconMicrophone,
  IconMicrophoneOff,
  IconPhoneCall,
  IconPhoneOff,
  IconPlayerPause,
  IconPlayerPlay,
  IconAlertTriangle,
  IconDialpad,
} from '@tabler/icons-react';
import { formatDuration } from '../../../lib/time';
import { useNow } from '../../../lib/use-now';
import type { Line } from './softphone';
import { lineLabel } from './line-label';
import { useSoftphone } from './softphone-context';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

function ConnectedFor({ since }: { since: number }) {
  const now = useNow(1000);
  return <>{formatDuration(Math.max(0, Math.floor((now - since) / 1000)))}</>;
}

/**
 * The softphone's line on the call workspace: what the signalling says (ringing, connected,
 * busy, no answer, failed, the donor hung up) and mute, hold, keypad and hang up. Nothing with
 * no phone system; when the softphone cannot call, why and what to do (the tel: link stays).
 */
export function SoftphonePanel({ call, phone: number }: { call: Call; phone: string | null }) {
  const { phone, snapshot } = useSoftphone();
  if (!phone) return null;
  const { registration } = snapshot;
  const line: Line =
    snapshot.line.state !== 'idle' && snapshot.line.callId === call.id ? snapshot.line : { state: 'idle' };

  if (registration.state === 'failed' || registration.state === 'connecting') {
    return (
      <Alert
        color={registration.state === 'failed' ? 'orange' : 'gray'}
        variant="light"
        icon={<IconAlertTriangle size={18} />}
        title={registration.state === 'failed' ? 'Softphone not connected' : 'Softphone connecting…'}
        data-testid="softphone-problem"
      >
        <Stack gap="xs" align="flex-start">
          {registration.state === 'failed' && <Text size="sm">{registration.message}</Text>}
          {registration.state === 'failed' && (
            <Button size="xs" variant="light" onClick={() => void phone.start()} data-testid="softphone-reconnect">
              Reconnect
            </Button>
          )}
        </Stack>
      </Alert>
    );
  }

  const open = line.state === 'dialling' || line.state === 'ringing' || line.state === 'connected';
  return (
    <Card withBorder radius="md" padding="sm" data-testid="softphone" data-line={line.state}>
      <Group justify="space-between" wrap="nowrap">
        <Group gap="sm" wrap="nowrap">
          <Badge
            size="lg"
            variant="light"
            color={line.state === 'connected' ? 'green' : line.state === 'ended' ? 'gray' : 'blue'}
            data-testid="softphone-line"
            data-cause={line.state === 'ended' ? line.cause : undefined}
          >
            {lineLabel(line)}
          </Badge>
          {line.state === 'connected' && (
            <Text size="sm" ff="monospace" data-testid="softphone-talk-time">
              <ConnectedFor since={line.since} />
            </Text>
          )}
          {line.state === 'ended' && (
            <Text size="sm" c="dimmed">
              Choose the end reason, then End Call.
            </Text>
          )}
        </Group>
        <Group gap="xs" wrap="nowrap">
          {line.state === 'connected' && (
            <>
              <Button
                size="xs"
                variant={line.muted ? 'filled' : 'default'}
                color={line.muted ? 'orange' : undefined}
                leftSection={line.muted ? <IconMicrophoneOff size={16} /> : <IconMicrophone size={16} />}
                onClick={() => phone.mute(!line.muted)}
                aria-pressed={line.muted}
                data-testid="softphone-mute"
              >
                {line.muted ? 'Unmute' : 'Mute'}
              </Button>
              <Button
                size="xs"
                variant="default"
                leftSection={line.held ? <IconPlayerPlay size={16} /> : <IconPlayerPause size={16} />}
                onClick={() => phone.hold(!line.held)}
                aria-pressed={line.held}
                data-testid="softphone-hold"
              >
                {line.held ? 'Resume' : 'Hold'}
              </Button>
              <Popover position="bottom-end" withArrow>
                <Popover.Target>
                  <Button
                    size="xs"
                    variant="default"
                    leftSection={<IconDialpad size={16} />}
                    data-testid="softphone-keypad"
                  >
                    Keypad
                  </Button>
                </Popover.Target>
                <Popover.Dropdown>
                  <SimpleGrid cols={3} spacing={6}>
                    {KEYS.map((k) => (
                      <Button
                        key={k}
                        variant="default"
                        size="sm"
                        onClick={() => phone.dtmf(k)}
                        aria-label={`Tone ${k}`}
                      >
                        {k}
                      </Button>
                    ))}
                  </SimpleGrid>
                </Popover.Dropdown>
              </Popover>
            </>
          )}
          {open ? (
            <Button
              size="xs"
              color="red"
              leftSection={<IconPhoneOff size={16} />}
              onClick={() => phone.hangup()}
              data-testid="softphone-hangup"
            >
              Hang up
            </Button>
          ) : (
            call.direction === 'outbound' &&
            line.state === 'idle' &&
            number && (
              <Button
                size="xs"
                variant="light"
                color="green"
                leftSection={<IconPhoneCall size={16} />}
                onClick={() => phone.dial(call.id, number)}
                disabled={registration.state !== 'registered'}
                data-testid="softphone-dial"
              >
                Call with softphone
              </Button>
            )
          )}
        </Group>
      </Group>
    </Card>
  );
}

/** The softphone at a glance in the shift bar: ready, connecting, or not connected and why (Reconnect). */
export function SoftphoneStatus() {
  const { phone, snapshot } = useSoftphone();
  if (!phone) return null;
  const r = snapshot.registration;
  const label =
    r.state === 'registered' ? 'Phone ready' : r.state === 'failed' ? 'Phone not connected' : 'Phone connecting…';
  const color = r.state === 'registered' ? 'green' : r.state === 'failed' ? 'orange' : 'gray';
  return (
    <Tooltip label={r.state === 'failed' ? `${r.message} Click to reconnect.` : label} multiline w={320}>
      <Badge
        size="lg"
        variant="dot"
        color={color}
        component="button"
        type="button"
        style={{ cursor: r.state === 'failed' ? 'pointer' : 'default' }}
        onClick={r.state === 'failed' ? () => void phone.start() : undefined}
        data-testid="softphone-status"
        data-state={r.state}
      >
        {label}
      </Badge>
    </Tooltip>
  );
}
