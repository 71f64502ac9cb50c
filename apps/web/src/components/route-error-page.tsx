import { Button, Center, EmptyState } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useEffect } from 'react';
import { useRouteError } from 'react-router';

/** Last resort when a page fails to render: say so and offer a reload. */
export function RouteErrorPage() {
  const error = useRouteError();
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <Center mih="100vh" p="md" data-testid="route-error">
      <EmptyState
        variant="light"
        color="red"
        icon={<IconAlertTriangle size={28} />}
        title="Something went wrong"
        description="This page could not be shown. Reload it; if it keeps happening, tell your administrator."
      >
        <EmptyState.Actions>
          <Button onClick={() => window.location.reload()}>Reload page</Button>
        </EmptyState.Actions>
      </EmptyState>
    </Center>
  );
}
