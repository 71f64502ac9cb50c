import { Button, Center, EmptyState } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconMapQuestion } from '@tabler/icons-react';
import { Link } from 'react-router';

export function NotFoundPage() {
  useDocumentTitle('Page not found · Engage Call Center');
  return (
    <Center py={80} data-testid="not-found">
      <EmptyState
        variant="light"
        color="gray"
        icon={<IconMapQuestion size={28} />}
        title="Page not found"
        description="The address may be mistyped, or the page may have moved."
      >
        <EmptyState.Actions>
          <Button component={Link} to="/call-center" data-testid="not-found-back">
            Back to Call Center
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </Center>
  );
}
