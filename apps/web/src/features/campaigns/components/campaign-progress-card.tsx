import { campaignNeedsLists, type Campaign } from '@engage/contracts';
import { Alert, Group, Loader, Paper, SimpleGrid, Stack, Text, Title, Tooltip } from '@mantine/core';
import { IconDatabaseOff } from '@tabler/icons-react';
import { formatWhen } from '../../../lib/time';
import { useCampaignProgress } from '../api/campaigns-api';

function Stat({ label, value, testId, hint }: { label: string; value: number; testId: string; hint: string }) {
  return (
    <Tooltip label={hint} multiline w={260}>
      <Stack gap={0}>
        <Text size="xl" fw={700} data-testid={testId}>
          {value.toLocaleString()}
        </Text>
        <Text size="xs" c="dimmed">
          {label}
        </Text>
      </Stack>
    </Tooltip>
  );
}

/** The campaign's queue now, updated live (shift events) and every few seconds. */
export function CampaignProgressCard({ campaign }: { campaign: Campaign }) {
  const progress = useCampaignProgress(campaign.id, true);
  const p = progress.data;
  return (
    <Paper withBorder p="md" radius="md" data-testid="campaign-progress">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          Progress
        </Title>
        {progress.isFetching && <Loader size="xs" />}
      </Group>
      {progress.isError && (
        <Alert color="red" variant="light" title="Progress could not be loaded">
          {progress.error.message}
        </Alert>
      )}
      {p && (
        <Stack gap="md">
          <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="md">
            <Stat label="Donors in all" value={p.total} testId="progress-total" hint="Donors on the connected lists" />
            <Stat
              label="Finished"
              value={p.finished}
              testId="progress-finished"
              hint="A final end reason, or skipped with a removing reason"
            />
            <Stat
              label="Waiting for a retry"
              value={p.waitingRetry}
              testId="progress-waiting-retry"
              hint="Their retry time or booked call-back has not come yet"
            />
            <Stat
              label="Held now"
              value={p.heldByOthers}
              testId="progress-held"
              hint="Offered to or on a call with an agent right now"
            />
            <Stat
              label="Callable now"
              value={p.callableNow}
              testId="progress-callable"
              hint="An agent asking now could be offered one of these"
            />
            <Stat
              label="Reached max attempts"
              value={p.maxAttempts}
              testId="progress-max-attempts"
              hint="Called as many times as the campaign allows"
            />
          </SimpleGrid>
          {(p.outsideCallingHours > 0 || p.doNotCall > 0 || p.noPhone > 0) && (
            <Text size="sm" c="dimmed" data-testid="progress-other">
              Also: {p.outsideCallingHours} outside calling hours now, {p.doNotCall} do not call, {p.noPhone} without a
              callable phone.
            </Text>
          )}
          {p.outOfData && (
            <Alert
              color="yellow"
              variant="light"
              icon={<IconDatabaseOff size={18} />}
              title="Agents would see Out of Data"
              data-testid="progress-out-of-data"
            >
              {p.total === 0
                ? campaignNeedsLists(campaign.purpose)
                  ? 'No donor is in the campaign yet: connect a list with donors.'
                  : 'No call-back is in the campaign yet: its donors are the callers who ask one of its inbound lines for one.'
                : 'No donor can be called right now.'}
              {p.nextAvailableAt && (
                <span data-testid="progress-next-available">
                  {' '}
                  The next becomes callable at {formatWhen(p.nextAvailableAt)}.
                </span>
              )}
            </Alert>
          )}
          {campaign.status !== 'active' && (
            <Text size="sm" c="dimmed">
              The campaign is {campaign.status}: agents can pick it only once it is active.
            </Text>
          )}
        </Stack>
      )}
      {progress.isPending && <Loader size="sm" />}
    </Paper>
  );
}
