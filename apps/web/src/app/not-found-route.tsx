import { Center } from '@mantine/core';
import { FullPageLoader } from '../components/full-page-loader';
import { NotFoundPage } from '../components/not-found-page';
import { useMe } from '../features/auth/hooks/use-me';
import { CurrentUserContext } from '../lib/session';
import { AppLayout } from './layout';

/** Unknown paths: inside the shell when signed in, on a bare page otherwise. */
export function NotFoundRoute() {
  const me = useMe();
  if (me.isPending) return <FullPageLoader />;
  if (me.data) {
    return (
      <CurrentUserContext value={me.data}>
        <AppLayout>
          <NotFoundPage />
        </AppLayout>
      </CurrentUserContext>
    );
  }
  return (
    <Center mih="100vh" bg="gray.0">
      <NotFoundPage />
    </Center>
  );
}
