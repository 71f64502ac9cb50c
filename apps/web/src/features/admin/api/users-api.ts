import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AdminUser, CreateUserBody, UpdateUserBody } from '@engage/contracts';
import { apiCall } from '../../../lib/api';
import { notifySuccess } from '../../../lib/notify';

/** Every account (GET /api/users); also read by the Teams page to pick members. */
export const usersQueryKey = ['users'] as const;

export function useUsers() {
  return useQuery({
    queryKey: usersQueryKey,
    queryFn: async ({ signal }) => (await apiCall('listUsers', {}, { signal })).users,
  });
}

function useUserMutation<V>(fn: (v: V) => Promise<AdminUser | void>, success: (v: V) => string, handlesErrors = false) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    meta: { handlesErrors },
    onSuccess: async (_data, v) => {
      notifySuccess(success(v));
      // Teams show their members: a user's teams may have changed.
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: usersQueryKey }),
        queryClient.invalidateQueries({ queryKey: ['teams'] }),
      ]);
    },
  });
}

export function useCreateUser() {
  return useUserMutation(
    (body: CreateUserBody) => apiCall('createUser', { body }),
    (v) => `${v.name} can now sign in`,
    true,
  );
}

export function useUpdateUser() {
  return useUserMutation(
    ({ id, body }: { id: number; name: string; body: UpdateUserBody }) =>
      apiCall('updateUser', { params: { userId: id }, body }),
    (v) => `${v.body.name ?? v.name} saved`,
    true,
  );
}

export function useDisableUser() {
  return useUserMutation(
    ({ id }: { id: number; name: string }) => apiCall('disableUser', { params: { userId: id } }),
    (v) => `${v.name} is disabled and signed out everywhere`,
  );
}

export function useEnableUser() {
  return useUserMutation(
    ({ id }: { id: number; name: string }) => apiCall('enableUser', { params: { userId: id } }),
    (v) => `${v.name} can sign in again`,
  );
}

export function useResetPassword() {
  return useUserMutation(
    async ({ id, password }: { id: number; name: string; password: string }) => {
      await apiCall('resetPassword', { params: { userId: id }, body: { password } });
    },
    (v) => `New password set for ${v.name}; their sessions have ended`,
    true,
  );
}
