import { Button, Center, EmptyState } from '@mantine/core';
import { IconPlugConnectedX } from '@tabler/icons-react';
import { isApiError } from '../../../lib/api-error';

/** Shown when the session could not be checked at all (server down, network gone). */
export function SessionError({ error, onRetry }: { error: Error; onRetry: () => void }) {
  const message = isApiError(error)
    ? error.message
    : 'Something went wrong while loading. Reload the page and try again.';
  return (
    <Center mih="100vh" p="md" data-testid="session-error">
      <EmptyState
        variant="light"
        color="red"
        icon={<IconPlugConnectedX size={28} />}
        title="Engage is not available"
        description={message}
      >
        <EmptyState.Actions>
          <Button onClick={onRetry} data-testid="session-retry">
            Try again
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </Center>
  );
}
