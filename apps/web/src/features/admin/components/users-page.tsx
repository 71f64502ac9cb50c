import type { AdminUser, Role } from '@engage/contracts';
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconKey, IconPencil, IconSearch, IconUserCheck, IconUserOff, IconUserPlus } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { PageHeader } from '../../../components/page-header';
import { roleLabel } from '../../../lib/roles';
import { useCurrentUser } from '../../../lib/session';
import { useDisableUser, useEnableUser, useUsers } from '../api/users-api';
import { ConfirmModal, useConfirmTarget } from '../../../components/confirm-modal';
import { ResetPasswordModal } from './reset-password-modal';
import { UserFormModal } from './user-form-modal';

const roleColor: Record<Role, string> = { admin: 'grape', manager: 'blue', agent: 'gray' };

/** Administrators' list of accounts: create, edit, disable or enable, reset a password. */
export function UsersPage() {
  const me = useCurrentUser();
  const users = useUsers();
  const disable = useDisableUser();
  const enable = useEnableUser();
  const [search, setSearch] = useState('');
  const [roleFilter, setRoleFilter] = useState<'all' | Role>('all');
  const [editing, setEditing] = useState<AdminUser | null>(null);
  const [formOpen, setFormOpen] = useState(false);
  const [resetting, setResetting] = useState<AdminUser | null>(null);
  const disabling = useConfirmTarget<AdminUser>();

  const shown = useMemo(() => {
    const q = search.trim().toLowerCase();
    return (users.data ?? []).filter(
      (u) =>
        (roleFilter === 'all' || u.role === roleFilter) &&
        (q === '' || u.name.toLowerCase().includes(q) || u.email.toLowerCase().includes(q)),
    );
  }, [users.data, search, roleFilter]);

  function openForm(user: AdminUser | null) {
    setEditing(user);
    setFormOpen(true);
  }

  return (
    <>
      <PageHeader
        title="Users"
        description="Everyone who signs in to Engage: their role, their teams, and whether they may sign in."
      />
      <Paper withBorder p="md" radius="md">
        <Group justify="space-between" mb="md" gap="sm">
          <Group gap="sm">
            <TextInput
              placeholder="Search by name or email"
              leftSection={<IconSearch size={16} />}
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
              w={280}
              data-testid="user-search"
            />
            <SegmentedControl
              value={roleFilter}
              onChange={(v) => setRoleFilter(v)}
              data={[
                { value: 'all', label: 'All' },
                { value: 'agent', label: 'Agents' },
                { value: 'manager', label: 'Managers' },
                { value: 'admin', label: 'Admins' },
              ]}
            />
          </Group>
          <Button leftSection={<IconUserPlus size={16} />} onClick={() => openForm(null)} data-testid="user-create">
            New user
          </Button>
        </Group>
        {users.isPending && <Loader />}
        {users.isError && (
          <Alert color="red" title="The users could not be loaded">
            {users.error.message}
          </Alert>
        )}
        {users.data && shown.length === 0 && (
          <Text c="dimmed" data-testid="users-empty">
            No user matches.
          </Text>
        )}
        {shown.length > 0 && (
          <Table striped highlightOnHover verticalSpacing="sm" data-testid="users-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Email</Table.Th>
                <Table.Th w={110}>Role</Table.Th>
                <Table.Th>Teams</Table.Th>
                <Table.Th w={110}>Status</Table.Th>
                <Table.Th w={130} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((u) => (
                <Table.Tr
                  key={u.id}
                  data-testid="user-row"
                  data-email={u.email}
                  data-disabled={u.disabled}
                  c={u.disabled ? 'dimmed' : undefined}
                >
                  <Table.Td fw={500}>
                    {u.name}
                    {u.id === me.id && (
                      <Text span c="dimmed" size="sm">
                        {' '}
                        (you)
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{u.email}</Table.Td>
                  <Table.Td>
                    <Badge color={roleColor[u.role]} variant="light">
                      {roleLabel(u.role)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {u.teams.length === 0 && (
                        <Text size="sm" c="dimmed">
                          —
                        </Text>
                      )}
                      {u.teams.map((t) => (
                        <Badge key={t.id} variant={t.isLeader ? 'filled' : 'outline'} color="gray" size="sm">
                          {t.name}
                          {t.isLeader ? ' (leader)' : ''}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    {u.disabled ? (
                      <Badge color="red" variant="light" data-testid="user-status">
                        Disabled
                      </Badge>
                    ) : (
                      <Badge color="teal" variant="light" data-testid="user-status">
                        Active
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      <Tooltip label="Edit">
                        <ActionIcon
                          variant="subtle"
                          onClick={() => openForm(u)}
                          aria-label="Edit"
                          data-testid="user-edit"
                        >
                          <IconPencil size={18} />
                        </ActionIcon>
                      </Tooltip>
                      <Tooltip label="Reset password">
                        <ActionIcon
                          variant="subtle"
                          color="orange"
                          onClick={() => setResetting(u)}
                          aria-label="Reset password"
                          data-testid="user-reset-password"
                        >
                          <IconKey size={18} />
                        </ActionIcon>
                      </Tooltip>
                      {u.disabled ? (
                        <Tooltip label="Enable">
                          <ActionIcon
                            variant="subtle"
                            color="teal"
                            loading={enable.isPending && enable.variables.id === u.id}
                            onClick={() => enable.mutate({ id: u.id, name: u.name })}
                            aria-label="Enable"
                            data-testid="user-enable"
                          >
                            <IconUserCheck size={18} />
                          </ActionIcon>
                        </Tooltip>
                      ) : (
                        <Tooltip label={u.id === me.id ? 'You cannot disable your own account' : 'Disable'}>
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            disabled={u.id === me.id}
                            onClick={() => disabling.ask(u)}
                            aria-label="Disable"
                            data-testid="user-disable"
                          >
                            <IconUserOff size={18} />
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
      </Paper>

      <UserFormModal user={editing} opened={formOpen} onClose={() => setFormOpen(false)} />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />
      <ConfirmModal
        opened={disabling.opened}
        title={`Disable ${disabling.target?.name ?? ''}?`}
        confirmLabel="Disable account"
        loading={disable.isPending}
        onClose={disabling.close}
        onConfirm={() => {
          const u = disabling.target;
          if (u) disable.mutate({ id: u.id, name: u.name }, { onSuccess: disabling.close });
        }}
        testId="user-disable"
      >
        {disabling.target?.name} is signed out at once, everywhere, and can no longer sign in. Their shift ends: an open
        call is ended and kept on record, a donor they hold goes back to the queue. Their calls and records stay. You
        can enable the account again later.
      </ConfirmModal>
    </>
  );
}
