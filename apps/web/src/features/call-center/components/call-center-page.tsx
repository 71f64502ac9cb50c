import { Card, Group, Text, ThemeIcon } from '@mantine/core';
import { IconHeadset } from '@tabler/icons-react';
import { PageHeader } from '../../../components/page-header';
import { roleLabel } from '../../../lib/roles';
import { useCurrentUser } from '../../../lib/session';

export function CallCenterPage() {
  const user = useCurrentUser();
  return (
    <>
      <PageHeader
        title="Call Center"
        description="Your shift: sign in under a job role, then call donors one at a time."
      />
      <Card withBorder padding="lg" maw={640} data-testid="call-center-card">
        <Group gap="md" wrap="nowrap" align="flex-start">
          <ThemeIcon size={44} radius="xl" variant="light">
            <IconHeadset size={24} />
          </ThemeIcon>
          <div>
            <Text fw={600} data-testid="call-center-greeting">
              Signed in as {user.name} ({roleLabel(user.role)})
            </Text>
            <Text size="sm" c="dimmed" mt={4}>
              The shift controls (choosing a job role, Sign In, Ready for Call) will appear here. They are not available
              yet.
            </Text>
          </div>
        </Group>
      </Card>
    </>
  );
}
