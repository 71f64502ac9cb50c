import { useMutation, useQueryClient } from '@tanstack/react-query';
import { notifySuccess } from '../../../lib/notify';
import { meQueryKey } from '../../../lib/session';
import { changePassword } from '../api/auth-api';

/** Changes the user's own password. Errors are shown by the form, not as a toast. */
export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: changePassword,
    meta: { handlesErrors: true },
    onSuccess: (user) => {
      // A user who had to choose their own password is let in from here.
      queryClient.setQueryData(meQueryKey, user);
      notifySuccess('Your password is changed. You are signed out everywhere else.');
    },
  });
}
