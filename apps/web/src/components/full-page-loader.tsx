import { Center, Loader } from '@mantine/core';

export function FullPageLoader() {
  return (
    <Center mih="100vh" data-testid="session-loader">
      <Loader aria-label="Loading" />
    </Center>
  );
}
