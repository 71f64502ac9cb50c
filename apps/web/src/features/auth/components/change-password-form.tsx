import { changePasswordBodySchema, MIN_PASSWORD_LENGTH } from '@engage/contracts';
import { Alert, Button, Group, PasswordInput, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle } from '@tabler/icons-react';
import { isApiError } from '../../../lib/api-error';
import { validateWithSchema } from '../../../lib/form-validation';
import { useChangePassword } from '../hooks/use-change-password';

const FIELDS = ['currentPassword', 'newPassword'] as const;
type Field = (typeof FIELDS)[number];

interface Values {
  currentPassword: string;
  newPassword: string;
  again: string;
}

const UNKNOWN_ERROR = 'Changing the password did not work. Try again; if it keeps happening, reload the page.';

/** "body.newPassword" → "newPassword", when it names a field of this form. */
function fieldOf(path: string): Field | undefined {
  const name = path.replace(/^body\./, '');
  return FIELDS.find((field) => field === name);
}

/** What the red alert above the buttons says, or null when the fields show the problem. */
function alertMessage(error: Error | null): string | null {
  if (error === null) return null;
  if (!isApiError(error)) return UNKNOWN_ERROR;
  if (error.code === 'validation_failed' && error.issues.some((i) => fieldOf(i.path))) return null;
  return error.message || UNKNOWN_ERROR;
}

/**
 * The current password, then the new one twice. The server also refuses a commonly used password
 * and says so next to the field.
 */
export function ChangePasswordForm({
  submitLabel,
  onDone,
  onCancel,
}: {
  submitLabel: string;
  onDone?: () => void;
  onCancel?: () => void;
}) {
  const change = useChangePassword();
  const form = useForm<Values>({
    mode: 'uncontrolled',
    initialValues: { currentPassword: '', newPassword: '', again: '' },
    // "again" is this form's own field, not part of the request: the schema cannot compare it.
    validate: validateWithSchema(changePasswordBodySchema, {
      extra: (values: Values) => ({
        again: values.again !== values.newPassword ? 'The two new passwords differ: type the new one again' : null,
      }),
    }),
  });

  const handleSubmit = form.onSubmit((values) => {
    change.mutate(
      { currentPassword: values.currentPassword, newPassword: values.newPassword },
      {
        onSuccess: () => onDone?.(),
        onError: (error) => {
          if (!isApiError(error)) return;
          for (const issue of error.issues) {
            const field = fieldOf(issue.path);
            if (field) form.setFieldError(field, issue.message);
          }
        },
      },
    );
  });

  const message = alertMessage(change.error);

  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack gap="md">
        <PasswordInput
          {...form.getInputProps('currentPassword')}
          key={form.key('currentPassword')}
          label="Current password"
          autoComplete="current-password"
          data-autofocus
          data-testid="change-password-current"
        />
        <PasswordInput
          {...form.getInputProps('newPassword')}
          key={form.key('newPassword')}
          label="New password"
          description={`At least ${MIN_PASSWORD_LENGTH} characters, not a common one. A few unrelated words are easy to remember.`}
          autoComplete="new-password"
          data-testid="change-password-new"
        />
        <PasswordInput
          {...form.getInputProps('again')}
          key={form.key('again')}
          label="New password again"
          autoComplete="new-password"
          data-testid="change-password-again"
        />
        {message !== null && (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} data-testid="change-password-error">
            {message}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          {onCancel && (
            <Button variant="default" onClick={onCancel} disabled={change.isPending}>
              Cancel
            </Button>
          )}
          <Button type="submit" loading={change.isPending} data-testid="change-password-save">
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
