import { Navigate, Outlet, useLocation } from 'react-router';
import { FullPageLoader } from '../../../components/full-page-loader';
import { CurrentUserContext } from '../../../lib/session';
import { useMe } from '../hooks/use-me';
import { loginPathFor } from '../utils/next-path';
import { PasswordChangeRequiredPage } from './password-change-required-page';
import { SessionError } from './session-error';

/**
 * Renders its child routes only with a session; otherwise sends the user to /login. A user whose
 * password an administrator set chooses their own first.
 */
export function RequireSession() {
  const me = useMe();
  const location = useLocation();

  if (me.data?.mustChangePassword) return <PasswordChangeRequiredPage name={me.data.name} />;
  if (me.data) {
    return (
      <CurrentUserContext value={me.data}>
        <Outlet />
      </CurrentUserContext>
    );
  }
  if (me.data === null) return <Navigate to={loginPathFor(location)} replace />;
  if (me.isError) return <SessionError error={me.error} onRetry={() => void me.refetch()} />;
  return <FullPageLoader />;
}
