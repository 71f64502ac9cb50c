import { campaignNeedsLists, type Campaign } from '@engage/contracts';
import {
  ActionIcon,
  Alert,
  Anchor,
  Button,
  Group,
  Modal,
  NumberInput,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconPlugConnected, IconUnlink } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { isApiError } from '../../../lib/api-error';
import { ConfirmModal, useConfirmTarget } from '../../../components/confirm-modal';
import { showServerError } from '../../../lib/form-errors';
import { useConnectList, useDisconnectList, useListOptions, useSetListPriority } from '../api/campaigns-api';

type ConnectedList = Campaign['lists'][number];

/** The donor lists feeding the campaign: priority (lower is called first), connect, disconnect. */
export function CampaignListsCard({ campaign }: { campaign: Campaign }) {
  const [connecting, setConnecting] = useState(false);
  const disconnecting = useConfirmTarget<ConnectedList>();
  const disconnect = useDisconnectList(campaign.id);

  return (
    <Paper withBorder p="md" radius="md" data-testid="campaign-lists">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          Connected lists
        </Title>
        <Button
          variant="light"
          leftSection={<IconPlugConnected size={16} />}
          onClick={() => setConnecting(true)}
          disabled={campaign.status === 'finished'}
          data-testid="connect-list"
        >
          Connect a list
        </Button>
      </Group>
      {campaign.lists.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="campaign-lists-empty">
          {campaignNeedsLists(campaign.purpose)
            ? 'No list connected: connect one so agents have donors to call.'
            : 'No list needed: its donors are the callers who ask one of its inbound lines for a call-back.'}
        </Text>
      ) : (
        <Table verticalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>List</Table.Th>
              <Table.Th>Donors</Table.Th>
              <Table.Th w={130}>Priority</Table.Th>
              <Table.Th w={50} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {campaign.lists.map((l) => (
              <Table.Tr key={l.listId} data-testid="campaign-list-row" data-name={l.name}>
                <Table.Td>
                  <Anchor component={Link} to={`/manager/lists/${l.listId}`} size="sm">
                    {l.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>{l.donorCount.toLocaleString()}</Table.Td>
                <Table.Td>
                  {/* Keyed by the saved priority: a saved change resets the field to it. */}
                  <PriorityInput key={`${l.listId}-${l.priority}`} campaignId={campaign.id} list={l} />
                </Table.Td>
                <Table.Td>
                  <Tooltip label="Disconnect">
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      onClick={() => disconnecting.ask(l)}
                      aria-label={`Disconnect ${l.name}`}
                      data-testid="list-disconnect"
                    >
                      <IconUnlink size={16} />
                    </ActionIcon>
                  </Tooltip>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Text size="xs" c="dimmed" mt="xs">
        Lower priority is called first. A donor on several lists takes the best priority.
      </Text>
      <Modal
        opened={connecting}
        onClose={() => setConnecting(false)}
        title={<Text fw={650}>Connect a list to {campaign.name}</Text>}
        centered
      >
        {connecting && <ConnectListForm campaign={campaign} onDone={() => setConnecting(false)} />}
      </Modal>
      <ConfirmModal
        opened={disconnecting.opened}
        title={`Disconnect ${disconnecting.target?.name ?? ''}?`}
        confirmLabel="Disconnect"
        loading={disconnect.isPending}
        onClose={disconnecting.close}
        onConfirm={() => {
          const l = disconnecting.target;
          if (l) disconnect.mutate({ listId: l.listId, name: l.name }, { onSuccess: disconnecting.close });
        }}
        testId="list-disconnect"
      >
        Its donors who have not been called leave this campaign&apos;s queue. Calls already made stay on record.
      </ConfirmModal>
    </Paper>
  );
}

function PriorityInput({ campaignId, list }: { campaignId: number; list: ConnectedList }) {
  const setPriority = useSetListPriority(campaignId);
  const [value, setValue] = useState<number | string>(list.priority);
  function save() {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > 1000) {
      setValue(list.priority);
      return;
    }
    if (n !== list.priority) setPriority.mutate({ listId: list.listId, priority: n, name: list.name });
  }
  return (
    <NumberInput
      size="xs"
      value={value}
      onChange={setValue}
      onBlur={save}
      onKeyDown={(e) => {
        if (e.key === 'Enter') save();
      }}
      min={1}
      max={1000}
      allowDecimal={false}
      disabled={setPriority.isPending}
      aria-label={`Priority of ${list.name}`}
      data-testid="list-priority"
    />
  );
}

function ConnectListForm({ campaign, onDone }: { campaign: Campaign; onDone: () => void }) {
  const lists = useListOptions(true);
  const connect = useConnectList(campaign.id);
  const [listId, setListId] = useState<string | null>(null);
  const [manualId, setManualId] = useState<number | string>('');
  const [priority, setPriority] = useState<number | string>(100);
  const [errors, setErrors] = useState<{ listId?: string; priority?: string }>({});
  const connected = new Set(campaign.lists.map((l) => l.listId));
  const options = (lists.data ?? []).filter((l) => !connected.has(l.id));
  // Without the lists API (not reachable), the list's id is typed in.
  const manual = lists.isError;

  function submit() {
    const id = manual ? Number(manualId) : Number(listId);
    const p = Number(priority);
    const next: typeof errors = {};
    if (!Number.isInteger(id) || id <= 0) next.listId = 'Choose a list';
    if (!Number.isInteger(p) || p < 1 || p > 1000) next.priority = 'A whole number from 1 to 1,000';
    setErrors(next);
    if (next.listId || next.priority) return;
    const name = options.find((l) => l.id === id)?.name ?? `List ${id}`;
    connect.mutate(
      { listId: id, priority: p, name },
      {
        onSuccess: onDone,
        onError: (error) =>
          showServerError(
            { setFieldError: (path, message) => setErrors((e) => ({ ...e, [path]: message })) },
            ['listId', 'priority'],
            error,
          ),
      },
    );
  }

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <Stack gap="md">
        {manual ? (
          <>
            <Alert color="yellow" variant="light">
              The lists could not be loaded
              {isApiError(lists.error) ? `: ${lists.error.message}` : ''}. Enter the list&apos;s number instead (see the
              Lists page).
            </Alert>
            <NumberInput
              label="List number"
              value={manualId}
              onChange={setManualId}
              min={1}
              allowDecimal={false}
              error={errors.listId}
              data-testid="connect-list-id"
            />
          </>
        ) : (
          <Select
            label="List"
            placeholder={lists.isPending ? 'Loading lists…' : 'Choose a list'}
            data={options.map((l) => ({
              value: String(l.id),
              label: l.donorCount === null ? l.name : `${l.name} (${l.donorCount.toLocaleString()} donors)`,
            }))}
            value={listId}
            onChange={(v) => {
              setListId(v);
              setErrors((e) => ({ ...e, listId: undefined }));
            }}
            searchable
            error={errors.listId}
            nothingFoundMessage={
              lists.data && options.length === 0
                ? 'Every list is connected already, or none exists yet'
                : 'No list by that name'
            }
            data-autofocus
            data-testid="connect-list-select"
          />
        )}
        <NumberInput
          label="Priority"
          description="Lower is called first (1 to 1,000)"
          value={priority}
          onChange={setPriority}
          min={1}
          max={1000}
          allowDecimal={false}
          error={errors.priority}
          data-testid="connect-list-priority"
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone} disabled={connect.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={connect.isPending} data-testid="connect-list-confirm">
            Connect
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
