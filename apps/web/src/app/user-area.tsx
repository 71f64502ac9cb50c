import { Badge, Button, Group, Text } from '@mantine/core';
import { IconLogout } from '@tabler/icons-react';
import { useLogout } from '../features/auth/hooks/use-logout';
import { roleLabel } from '../lib/roles';
import { useCurrentUser } from '../lib/session';

/** Right side of the menu bar: who is signed in, and Log out. */
export function UserArea() {
  const user = useCurrentUser();
  const logout = useLogout();
  return (
    <Group gap="md" wrap="nowrap">
      <Group gap={8} wrap="nowrap">
        <Text size="sm" fw={500} truncate maw={240} data-testid="user-name">
          {user.name}
        </Text>
        <Badge variant="light" color="gray" data-testid="user-role" data-role={user.role}>
          {roleLabel(user.role)}
        </Badge>
      </Group>
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
    </Group>
  );
}
