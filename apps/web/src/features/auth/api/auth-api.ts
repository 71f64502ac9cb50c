import type { ChangePasswordBody, LoginBody, SessionUser } from '@engage/contracts';
import { apiCall } from '../../../lib/api';
import { isUnauthenticated } from '../../../lib/api-error';

/** The signed-in user, or `null` when there is no session (a public endpoint: no failed request when signed out). */
export async function getMe(signal?: AbortSignal): Promise<SessionUser | null> {
  const { user } = await apiCall('getSession', {}, { signal });
  return user;
}

export async function login(body: LoginBody): Promise<SessionUser> {
  const { user } = await apiCall('login', { body });
  return user;
}

/** Changes the user's own password; their other sessions end, this one goes on. */
export async function changePassword(body: ChangePasswordBody): Promise<SessionUser> {
  const { user } = await apiCall('changePassword', { body });
  return user;
}

/** Ends the session. A session that had already ended counts as signed out. */
export async function logout(): Promise<void> {
  try {
    await apiCall('logout', {});
  } catch (error) {
    if (!isUnauthenticated(error)) throw error;
  }
}
