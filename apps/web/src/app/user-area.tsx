import { Badge, Button, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconKey, IconLogout } from '@tabler/icons-react';
import { useState } from 'react';
import { ChangePasswordModal } from '../features/auth/components/change-password-modal';
import { useLogout } from '../features/auth/hooks/use-logout';
import { roleLabel } from '../lib/roles';
import { useCurrentUser } from '../lib/session';

/** Right side of the menu bar: who is signed in (a menu: Change password), and Log out. */
export function UserArea() {
  const user = useCurrentUser();
  const logout = useLogout();
  const [changing, setChanging] = useState(false);
  return (
    <Group gap="md" wrap="nowrap">
      <Menu position="bottom-end" width={220} shadow="md" offset={6}>
        <Menu.Target>
          <UnstyledButton data-testid="user-menu" aria-label="Your account">
            <Group gap={8} wrap="nowrap">
              <Text size="sm" fw={500} truncate maw={240} data-testid="user-name">
                {user.name}
              </Text>
              <Badge variant="light" color="gray" data-testid="user-role" data-role={user.role}>
                {roleLabel(user.role)}
              </Badge>
              <IconChevronDown size={14} />
            </Group>
          </UnstyledButton>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>{user.email}</Menu.Label>
          <Menu.Item
            leftSection={<IconKey size={16} />}
            onClick={() => setChanging(true)}
            data-testid="menu-change-password"
          >
            Change password
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <Button
        variant="default"
        size="sm"
        leftSection={<IconLogout size={16} />}
        loading={logout.isPending}
        onClick={() => logout.mutate()}
        data-testid="logout"
      >
        Log out
      </Button>
      <ChangePasswordModal opened={changing} onClose={() => setChanging(false)} />
    </Group>
  );
}
