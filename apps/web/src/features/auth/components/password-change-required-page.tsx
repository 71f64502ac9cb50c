import { Button, Center, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconKey } from '@tabler/icons-react';
import { useLogout } from '../hooks/use-logout';
import { ChangePasswordForm } from './change-password-form';

/**
 * Shown instead of the app while the user's password is one an administrator set: the server
 * refuses everything else until they choose their own.
 */
export function PasswordChangeRequiredPage({ name }: { name: string }) {
  useDocumentTitle('Choose your password · Engage Call Center');
  const logout = useLogout();
  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Stack w={440} gap="lg" data-testid="password-change-required">
        <Stack gap={6} align="center">
          <Group gap="sm">
            <ThemeIcon size={40} radius="md">
              <IconKey size={24} />
            </ThemeIcon>
            <Title order={1} size="h2">
              Choose your own password
            </Title>
          </Group>
          <Text c="dimmed" ta="center">
            Welcome, {name}. An administrator set the password you signed in with: choose one that only you know before
            you go on.
          </Text>
        </Stack>
        <Paper withBorder shadow="sm" p="xl" radius="md">
          <ChangePasswordForm submitLabel="Save and continue" />
        </Paper>
        <Button variant="subtle" color="gray" onClick={() => logout.mutate()} loading={logout.isPending}>
          Log out
        </Button>
      </Stack>
    </Center>
  );
}
