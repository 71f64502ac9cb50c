import { ActionIcon, Alert, Badge, Button, Group, Loader, Paper, Table, Tabs, Text, Tooltip } from '@mantine/core';
import {
  IconArchive,
  IconArrowBackUp,
  IconChevronDown,
  IconChevronUp,
  IconPencil,
  IconPlus,
} from '@tabler/icons-react';
import { useState } from 'react';
import { PageHeader } from '../../../components/page-header';
import {
  settingsNouns,
  useReorderSettings,
  useRestoreSettingsItem,
  useRetireSettingsItem,
  useSettingsItems,
  type AnySettingsItem,
  type SettingsKind,
} from '../api/settings-api';
import { endOutcomeLabels, endReasonDirectionLabel, minutesWords } from '@engage/contracts';
import { ConfirmModal, useConfirmTarget } from '../../../components/confirm-modal';
import { SettingsItemModal } from './settings-item-modal';

const TABS: { kind: SettingsKind; label: string; help: string }[] = [
  {
    kind: 'job-roles',
    label: 'Job roles',
    help: 'Agents sign in to a shift under a job role: it says whether the shift calls donors, takes their calls, or both.',
  },
  {
    kind: 'skip-reasons',
    label: 'Skip reasons',
    help: 'Why an agent skips an offered donor: the donor is requeued for later or removed from the campaign.',
  },
  {
    kind: 'end-reasons',
    label: 'End reasons',
    help: 'The call dispositions agents choose at End Call; the outcome decides what happens to the donor next.',
  },
  { kind: 'break-reasons', label: 'Break reasons', help: 'What agents choose when they take a break.' },
];

/** Job roles and reasons: add, rename, change what they do, reorder, retire and restore. */
export function SettingsPage() {
  const [tab, setTab] = useState<SettingsKind>('job-roles');
  return (
    <>
      <PageHeader
        title="Job roles and reasons"
        description="What agents choose from during a shift. Nothing is deleted: a retired item is no longer offered but stays on the records that used it."
      />
      <Tabs value={tab} onChange={(v) => v && setTab(v as SettingsKind)} keepMounted={false}>
        <Tabs.List mb="md">
          {TABS.map((t) => (
            <Tabs.Tab key={t.kind} value={t.kind} data-testid={`settings-tab-${t.kind}`}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {TABS.map((t) => (
          <Tabs.Panel key={t.kind} value={t.kind}>
            <ItemsPanel kind={t.kind} help={t.help} />
          </Tabs.Panel>
        ))}
      </Tabs>
    </>
  );
}

function Details({ item }: { item: AnySettingsItem }) {
  if ('outbound' in item) {
    const work = [item.outbound && 'Outbound', item.inbound && 'Inbound'].filter(Boolean).join(' and ');
    return <Text size="sm">{work}</Text>;
  }
  if ('countsAsContact' in item) {
    return (
      <Group gap={6}>
        <Badge
          variant="light"
          color={item.outcome === 'do_not_call' ? 'red' : item.outcome === 'final' ? 'teal' : 'blue'}
        >
          {endOutcomeLabels[item.outcome]}
          {item.outcome === 'retry' && item.retryMinutes !== null ? ` · ${minutesWords(item.retryMinutes)}` : ''}
        </Badge>
        {item.direction !== 'both' && (
          <Badge variant="outline" color="grape" data-testid="end-reason-direction">
            {endReasonDirectionLabel[item.direction]}
          </Badge>
        )}
        {item.countsAsContact && (
          <Badge variant="outline" color="gray">
            Contact
          </Badge>
        )}
        {item.countsAsSuccess && (
          <Badge variant="outline" color="teal">
            Success
          </Badge>
        )}
      </Group>
    );
  }
  if ('outcome' in item) {
    return (
      <Badge variant="light" color={item.outcome === 'remove' ? 'orange' : 'blue'}>
        {item.outcome === 'remove' ? 'Removes from campaign' : 'Requeues'}
      </Badge>
    );
  }
  return null;
}

function ItemsPanel({ kind, help }: { kind: SettingsKind; help: string }) {
  const items = useSettingsItems(kind);
  const reorder = useReorderSettings(kind);
  const retire = useRetireSettingsItem(kind);
  const restore = useRestoreSettingsItem(kind);
  const [editing, setEditing] = useState<AnySettingsItem | null>(null);
  const [formOpen, setFormOpen] = useState(false);
  const retiring = useConfirmTarget<AnySettingsItem>();
  const noun = settingsNouns[kind];
  const list: AnySettingsItem[] = items.data ?? [];
  const detailsColumn = kind === 'job-roles' ? 'Work' : kind === 'break-reasons' ? null : 'Outcome';

  function move(index: number, by: -1 | 1) {
    const ids = list.map((i) => i.id);
    const other = index + by;
    const a = ids[index];
    const b = ids[other];
    if (a === undefined || b === undefined) return;
    ids[index] = b;
    ids[other] = a;
    reorder.mutate({ ids, name: list[index]?.name ?? '' });
  }

  return (
    <Paper withBorder p="md" radius="md" data-testid={`settings-panel-${kind}`}>
      <Group justify="space-between" mb="md" align="flex-start" wrap="nowrap">
        <Text c="dimmed" size="sm" maw={720}>
          {help}
        </Text>
        <Button
          leftSection={<IconPlus size={16} />}
          onClick={() => {
            setEditing(null);
            setFormOpen(true);
          }}
          data-testid="settings-add"
        >
          Add {noun.one}
        </Button>
      </Group>
      {items.isPending && <Loader />}
      {items.isError && (
        <Alert color="red" title={`The ${noun.many} could not be loaded`}>
          {items.error.message}
        </Alert>
      )}
      {items.data && list.length === 0 && <Text c="dimmed">No {noun.many} yet: add the first one.</Text>}
      {list.length > 0 && (
        <Table verticalSpacing="xs" highlightOnHover data-testid="settings-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={80}>Order</Table.Th>
              <Table.Th>Name</Table.Th>
              {detailsColumn && <Table.Th>{detailsColumn}</Table.Th>}
              <Table.Th>Status</Table.Th>
              <Table.Th w={100} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((item, index) => (
              <Table.Tr
                key={item.id}
                data-testid="item-row"
                data-name={item.name}
                data-retired={item.retired}
                style={item.retired ? { opacity: 0.55 } : undefined}
              >
                <Table.Td>
                  <Group gap={0} wrap="nowrap">
                    <ActionIcon
                      variant="subtle"
                      color="gray"
                      disabled={index === 0 || reorder.isPending}
                      onClick={() => move(index, -1)}
                      aria-label={`Move ${item.name} up`}
                      data-testid="item-up"
                    >
                      <IconChevronUp size={16} />
                    </ActionIcon>
                    <ActionIcon
                      variant="subtle"
                      color="gray"
                      disabled={index === list.length - 1 || reorder.isPending}
                      onClick={() => move(index, 1)}
                      aria-label={`Move ${item.name} down`}
                      data-testid="item-down"
                    >
                      <IconChevronDown size={16} />
                    </ActionIcon>
                  </Group>
                </Table.Td>
                <Table.Td fw={500} c={item.retired ? 'dimmed' : undefined}>
                  {item.name}
                </Table.Td>
                {detailsColumn && (
                  <Table.Td>
                    <Details item={item} />
                  </Table.Td>
                )}
                <Table.Td>
                  {item.retired ? (
                    <Badge color="gray" variant="light" data-testid="item-status">
                      Retired
                    </Badge>
                  ) : (
                    <Badge color="teal" variant="light" data-testid="item-status">
                      Active
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    <Tooltip label="Edit">
                      <ActionIcon
                        variant="subtle"
                        onClick={() => {
                          setEditing(item);
                          setFormOpen(true);
                        }}
                        aria-label={`Edit ${item.name}`}
                        data-testid="item-edit"
                      >
                        <IconPencil size={18} />
                      </ActionIcon>
                    </Tooltip>
                    {item.retired ? (
                      <Tooltip label="Restore: offer it again">
                        <ActionIcon
                          variant="subtle"
                          color="teal"
                          loading={restore.isPending && restore.variables.id === item.id}
                          onClick={() => restore.mutate({ id: item.id })}
                          aria-label={`Restore ${item.name}`}
                          data-testid="item-restore"
                        >
                          <IconArrowBackUp size={18} />
                        </ActionIcon>
                      </Tooltip>
                    ) : (
                      <Tooltip label="Retire: no longer offered">
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          onClick={() => retiring.ask(item)}
                          aria-label={`Retire ${item.name}`}
                          data-testid="item-retire"
                        >
                          <IconArchive size={18} />
                        </ActionIcon>
                      </Tooltip>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <SettingsItemModal kind={kind} item={editing} opened={formOpen} onClose={() => setFormOpen(false)} />
      <ConfirmModal
        opened={retiring.opened}
        title={`Retire ${retiring.target?.name ?? ''}?`}
        confirmLabel="Retire"
        loading={retire.isPending}
        onClose={retiring.close}
        onConfirm={() => {
          if (retiring.target) retire.mutate({ id: retiring.target.id }, { onSuccess: retiring.close });
        }}
        testId="item-retire"
      >
        Agents will no longer be offered this {noun.one}. Records that used it keep it, and you can restore it at any
        time.
      </ConfirmModal>
    </Paper>
  );
}
