import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { notifySuccess } from '../../../lib/notify';
import { meQueryKey } from '../../../lib/session';
import { login } from '../api/auth-api';
import { landingPathFor } from '../utils/next-path';

/** Signs in, then opens `nextPath` (null: the user's landing page). Errors are shown by the login form, not as a toast. */
export function useLogin(nextPath: string | null) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: login,
    meta: { handlesErrors: true },
    onSuccess: async (user) => {
      // Drop anything cached for a previous user before the new session is used.
      queryClient.removeQueries();
      queryClient.setQueryData(meQueryKey, user);
      notifySuccess(`Welcome, ${user.name}`);
      await navigate(nextPath ?? landingPathFor(user.role), { replace: true, flushSync: true });
    },
  });
}
