import { Navigate } from 'react-router';
import { useCurrentUser } from '../../../lib/session';
import { landingPathFor } from '../utils/next-path';

/** `/`: managers and admins go to the live floor, agents to the Call Center. */
export function LandingRedirect() {
  const user = useCurrentUser();
  return <Navigate to={landingPathFor(user.role)} replace />;
}
