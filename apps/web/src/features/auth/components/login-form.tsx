import { loginBodySchema } from '@engage/contracts';
import type { LoginBody } from '@engage/contracts';
import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { IconAlertCircle } from '@tabler/icons-react';
import { isApiError } from '../../../lib/api-error';
import { useLogin } from '../hooks/use-login';

const FIELDS = ['email', 'password'] as const satisfies readonly (keyof LoginBody)[];
type Field = (typeof FIELDS)[number];

const WRONG_CREDENTIALS = 'Wrong email or password. Check both and try again.';
const UNKNOWN_ERROR = 'Signing in did not work. Try again; if it keeps happening, reload the page.';

/** "body.email" or "email" → "email", when it names a field of this form. */
function fieldOf(path: string): Field | undefined {
  const name = path.replace(/^body\./, '');
  return FIELDS.find((field) => field === name);
}

/** What the red alert above the button says, or null when the fields show the problem. */
function alertMessage(error: Error | null): string | null {
  if (error === null) return null;
  if (!isApiError(error)) return UNKNOWN_ERROR;
  if (error.code === 'validation_failed' && error.issues.some((i) => fieldOf(i.path))) return null;
  if (error.code === 'unauthenticated') return error.message || WRONG_CREDENTIALS;
  return error.message || UNKNOWN_ERROR;
}

export function LoginForm({ nextPath }: { nextPath: string | null }) {
  const login = useLogin(nextPath);
  const form = useForm<LoginBody>({
    mode: 'uncontrolled',
    initialValues: { email: '', password: '' },
    validate: schemaResolver(loginBodySchema, { sync: true }),
  });

  const handleSubmit = form.onSubmit((values) => {
    login.mutate(
      { email: values.email.trim(), password: values.password },
      {
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

  const message = alertMessage(login.error);

  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack gap="md">
        <TextInput
          {...form.getInputProps('email')}
          key={form.key('email')}
          label="Email"
          type="email"
          autoComplete="username"
          placeholder="you@example.org"
          autoFocus
          data-testid="login-email"
        />
        <PasswordInput
          {...form.getInputProps('password')}
          key={form.key('password')}
          label="Password"
          autoComplete="current-password"
          data-testid="login-password"
        />
        {message !== null && (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} data-testid="login-error">
            {message}
          </Alert>
        )}
        <Button type="submit" fullWidth loading={login.isPending} data-testid="login-submit">
          Sign in
        </Button>
      </Stack>
    </form>
  );
}
