import { MIN_PASSWORD_LENGTH, resetPasswordBodySchema } from '@engage/contracts';
import type { AdminUser } from '@engage/contracts';
import { Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useResetPassword } from '../api/users-api';
import { validateWithSchema } from '../../../lib/form-validation';
import { showServerError } from '../../../lib/form-errors';

/** An administrator sets a new password; the user's sessions end and they sign in with it. */
export function ResetPasswordModal({ user, onClose }: { user: AdminUser | null; onClose: () => void }) {
  return (
    <Modal
      opened={user !== null}
      onClose={onClose}
      title={<Text fw={650}>Reset the password of {user?.name}</Text>}
      centered
    >
      {user && <ResetPasswordForm user={user} onDone={onClose} />}
    </Modal>
  );
}

function ResetPasswordForm({ user, onDone }: { user: AdminUser; onDone: () => void }) {
  const reset = useResetPassword();
  const form = useForm({
    mode: 'controlled',
    initialValues: { password: '', again: '' },
    // "again" is this form's own field, not part of the request: the schema cannot compare it.
    validate: validateWithSchema(resetPasswordBodySchema, {
      extra: (values: { password: string; again: string }) => ({
        again: values.again !== values.password ? 'The two passwords differ: type the password again' : null,
      }),
    }),
  });
  return (
    <form
      onSubmit={form.onSubmit((values) =>
        reset.mutate(
          { id: user.id, name: user.name, password: values.password },
          { onSuccess: onDone, onError: (error) => showServerError(form, ['password'], error) },
        ),
      )}
      noValidate
    >
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          {user.name} is signed out everywhere and signs in with the new password, then chooses their own. Give it to
          them in person or by phone.
        </Text>
        <PasswordInput
          {...form.getInputProps('password')}
          label="New password"
          description={`At least ${MIN_PASSWORD_LENGTH} characters, not a common one`}
          autoComplete="new-password"
          data-autofocus
          data-testid="reset-password-input"
        />
        <PasswordInput
          {...form.getInputProps('again')}
          label="Same password again"
          autoComplete="new-password"
          data-testid="reset-password-again"
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone} disabled={reset.isPending}>
            Cancel
          </Button>
          <Button type="submit" color="orange" loading={reset.isPending} data-testid="reset-password-save">
            Set new password
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
