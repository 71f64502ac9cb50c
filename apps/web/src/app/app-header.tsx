import { Group, Text, ThemeIcon, UnstyledButton } from '@mantine/core';
import { IconHeadset } from '@tabler/icons-react';
import { Link } from 'react-router';
import { MainMenu } from './main-menu';
import { UserArea } from './user-area';

export function AppHeader() {
  return (
    <Group h="100%" px="lg" justify="space-between" wrap="nowrap">
      <Group gap="xl" wrap="nowrap">
        <UnstyledButton component={Link} to="/call-center" data-testid="brand">
          <Group gap={8} wrap="nowrap">
            <ThemeIcon size={32} radius="md">
              <IconHeadset size={20} />
            </ThemeIcon>
            <Text fw={700} size="lg">
              Engage
            </Text>
          </Group>
        </UnstyledButton>
        <MainMenu />
      </Group>
      <UserArea />
    </Group>
  );
}
