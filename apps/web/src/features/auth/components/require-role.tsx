import type { ReactNode } from 'react';
import { AccessDenied } from '../../../components/access-denied';
import { canAccess } from '../../../lib/roles';
import type { Area } from '../../../lib/roles';
import { useCurrentUser } from '../../../lib/session';

/** Shows `children` only to roles allowed in `area`; the server enforces the same rule. */
export function RequireRole({ area, children }: { area: Area; children: ReactNode }) {
  const user = useCurrentUser();
  if (!canAccess(user.role, area)) return <AccessDenied />;
  return children;
}
