import { Button, Center, EmptyState } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconLock } from '@tabler/icons-react';
import { Link } from 'react-router';

export function AccessDenied() {
  useDocumentTitle('No access · Engage Call Center');
  return (
    <Center py={80} data-testid="access-denied">
      <EmptyState
        variant="light"
        color="gray"
        icon={<IconLock size={28} />}
        title="You do not have access to this page"
        description="Your role does not include this area. If you need it, ask an administrator."
      >
        <EmptyState.Actions>
          <Button component={Link} to="/call-center" data-testid="access-denied-back">
            Back to Call Center
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </Center>
  );
}
