import type { Shift } from '@engage/contracts';
import { Button, Card, Group, List, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconCoffee, IconDatabaseOff, IconLogout, IconRefresh, IconSwitchHorizontal } from '@tabler/icons-react';
import { useDialer } from '../hooks/dialer-context';
import { useClosePending, useCloseShift } from '../hooks/use-shift';
import type { OutOfDataResult } from '../hooks/use-shift';
import { outOfDataReasonLines } from '../utils/labels';
import { formatWhen } from '../../../lib/time';

/**
 * Out of Data: no donor of the campaign may be called now. Says why (counts by reason) and when
 * more will be available, and offers the ways on. After a page reload the reasons are not known
 * until the agent checks again.
 */
export function OutOfDataPanel({
  shift,
  result,
  onTakeBreak,
}: {
  shift: Shift;
  result: OutOfDataResult | null;
  onTakeBreak: () => void;
}) {
  const dialer = useDialer();
  const close = useCloseShift();
  const closePending = useClosePending();
  const campaignName = result?.campaign.name ?? shift.campaign?.name ?? 'this campaign';
  const lines = result ? outOfDataReasonLines(result.reasons) : [];

  return (
    <Card
      withBorder
      radius="md"
      padding="xl"
      data-testid="out-of-data"
      style={{ borderColor: 'var(--mantine-color-yellow-4)' }}
    >
      <Stack gap="lg">
        <Group gap="md" wrap="nowrap" align="flex-start">
          <ThemeIcon size={52} radius="xl" variant="light" color="yellow">
            <IconDatabaseOff size={28} />
          </ThemeIcon>
          <Stack gap={4}>
            <Title order={2} size="h3">
              Out of Data
            </Title>
            <Text size="md" data-testid="out-of-data-message">
              {result?.message ??
                `No donor in ${campaignName} can be called right now. Check again, or choose another campaign.`}
            </Text>
          </Stack>
        </Group>

        {result && (
          <Stack gap={6} pl={68}>
            <Text size="sm" fw={600}>
              {result.reasons.total.toLocaleString('en-GB')} donors in {campaignName}
            </Text>
            {lines.length > 0 && (
              <List size="sm" spacing={4} data-testid="out-of-data-reasons">
                {lines.map((line) => (
                  <List.Item key={line.key} data-reason={line.key}>
                    {line.text}
                  </List.Item>
                ))}
              </List>
            )}
            {result.nextAvailableAt !== null && (
              <Text size="sm" fw={600} c="teal.8" mt={4} data-testid="out-of-data-next">
                More donors from {formatWhen(result.nextAvailableAt)}
              </Text>
            )}
          </Stack>
        )}

        <Group gap="sm" pl={68}>
          <Button
            leftSection={<IconSwitchHorizontal size={16} />}
            onClick={dialer.openDialer}
            data-testid="choose-another-campaign"
          >
            Choose another campaign
          </Button>
          <Button
            variant="default"
            leftSection={<IconRefresh size={16} />}
            loading={dialer.nextPending}
            onClick={() => void dialer.requestNext()}
            data-testid="check-again"
          >
            Check again
          </Button>
          <Button
            variant="default"
            leftSection={<IconCoffee size={16} />}
            onClick={onTakeBreak}
            data-testid="out-of-data-take-break"
          >
            Take Break
          </Button>
          <Button
            variant="default"
            leftSection={<IconLogout size={16} />}
            loading={closePending}
            onClick={() => close.mutate()}
            data-testid="out-of-data-sign-out"
          >
            Sign Out
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
