import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { notifySuccess } from '../../../lib/notify';
import { meQueryKey } from '../../../lib/session';
import { logout } from '../api/auth-api';

export function useLogout() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: logout,
    onSuccess: async () => {
      queryClient.removeQueries();
      queryClient.setQueryData(meQueryKey, null);
      notifySuccess('Signed out');
      await navigate('/login', { replace: true, flushSync: true });
    },
  });
}
