import { Center, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconHeadset } from '@tabler/icons-react';
import { Navigate, useSearchParams } from 'react-router';
import { useMe } from '../hooks/use-me';
import { landingPathFor, safeNextPath } from '../utils/next-path';
import { LoginForm } from './login-form';

export function LoginPage() {
  useDocumentTitle('Sign in · Engage Call Center');
  const [searchParams] = useSearchParams();
  const nextPath = safeNextPath(searchParams.get('next'));
  const me = useMe();

  // Already signed in (e.g. a second tab): go straight on.
  if (me.data) return <Navigate to={nextPath ?? landingPathFor(me.data.role)} replace />;

  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Stack w={400} gap="lg">
        <Stack gap={6} align="center">
          <Group gap="sm">
            <ThemeIcon size={40} radius="md">
              <IconHeadset size={24} />
            </ThemeIcon>
            <Title order={1} size="h2">
              Engage Call Center
            </Title>
          </Group>
          <Text c="dimmed">Sign in to start your shift.</Text>
        </Stack>
        <Paper withBorder shadow="sm" p="xl" radius="md">
          <LoginForm nextPath={nextPath} />
        </Paper>
      </Stack>
    </Center>
  );
}
