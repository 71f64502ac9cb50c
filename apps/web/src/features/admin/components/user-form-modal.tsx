import { createUserBodySchema, MIN_PASSWORD_LENGTH, roles, updateUserBodySchema } from '@engage/contracts';
import type { AdminUser, Role } from '@engage/contracts';
import { Button, Group, Modal, PasswordInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { validateWithSchema } from '../../../lib/form-validation';
import { roleLabel } from '../../../lib/roles';
import { useTeams } from '../../teams/api/teams-api';
import { useCreateUser, useUpdateUser } from '../api/users-api';
import { showServerError } from '../../../lib/form-errors';
import { MultiSelectField } from '../../../components/multi-select-field';

const FIELDS = ['name', 'email', 'role', 'password', 'teamIds'] as const;

interface Values {
  name: string;
  email: string;
  role: Role;
  password: string;
  teamIds: string[];
}

const roleHelp: Record<Role, string> = {
  agent: 'Calls donors for the campaigns of their teams',
  manager: 'Builds teams, campaigns and lists; watches the floor; can also call',
  admin: 'Manages users, job roles and reasons; everything a manager can',
};

/** Create a user (with a first password) or edit one (name, email, role, teams). */
export function UserFormModal({
  user,
  opened,
  onClose,
}: {
  user: AdminUser | null;
  opened: boolean;
  onClose: () => void;
}) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={<Text fw={650}>{user ? `Edit ${user.name}` : 'New user'}</Text>}
      centered
      size="lg"
    >
      {/* Mounted per opening, so the form starts from the user shown. */}
      {opened && <UserForm user={user} onDone={onClose} />}
    </Modal>
  );
}

function UserForm({ user, onDone }: { user: AdminUser | null; onDone: () => void }) {
  const teams = useTeams();
  const create = useCreateUser();
  const update = useUpdateUser();
  const saving = create.isPending || update.isPending;
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: {
      name: user?.name ?? '',
      email: user?.email ?? '',
      role: user?.role ?? 'agent',
      password: '',
      teamIds: user?.teams.map((t) => String(t.id)) ?? [],
    },
    // teamIds are strings here (the select's values); the server checks them.
    validate: validateWithSchema(
      user === null
        ? createUserBodySchema.pick({ name: true, email: true, role: true, password: true })
        : updateUserBodySchema.pick({ name: true, email: true, role: true }),
    ),
  });

  const submit = form.onSubmit((values) => {
    const teamIds = values.teamIds.map(Number);
    const onError = (error: unknown) => showServerError(form, FIELDS, error);
    if (user === null) {
      create.mutate(
        { name: values.name.trim(), email: values.email.trim(), role: values.role, password: values.password, teamIds },
        { onSuccess: onDone, onError },
      );
    } else {
      update.mutate(
        {
          id: user.id,
          name: user.name,
          body: { name: values.name.trim(), email: values.email.trim(), role: values.role, teamIds },
        },
        { onSuccess: onDone, onError },
      );
    }
  });

  // Teams the user is in stay choosable even if the list of teams has not loaded.
  const teamOptions = new Map<string, string>();
  for (const t of user?.teams ?? []) teamOptions.set(String(t.id), t.name);
  for (const t of teams.data ?? []) teamOptions.set(String(t.id), t.name);

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md" data-testid="user-form">
        <TextInput
          {...form.getInputProps('name')}
          label="Name"
          withAsterisk
          data-autofocus
          data-testid="user-form-name"
        />
        <TextInput
          {...form.getInputProps('email')}
          label="Email"
          type="email"
          withAsterisk
          autoComplete="off"
          data-testid="user-form-email"
        />
        <Select
          {...form.getInputProps('role')}
          label="Role"
          data={roles.map((r) => ({ value: r, label: roleLabel(r) }))}
          allowDeselect={false}
          description={roleHelp[form.getValues().role]}
          data-testid="user-form-role"
        />
        {user === null && (
          <PasswordInput
            {...form.getInputProps('password')}
            label="First password"
            description={`At least ${MIN_PASSWORD_LENGTH} characters, not a common one. Give it to the person: they sign in with it, then choose their own.`}
            withAsterisk
            autoComplete="new-password"
            data-testid="user-form-password"
          />
        )}
        <MultiSelectField
          {...form.getInputProps('teamIds')}
          label="Teams"
          placeholder={teams.isPending ? 'Loading teams…' : 'Choose teams'}
          data={[...teamOptions].map(([value, label]) => ({ value, label }))}
          searchable
          clearable
          nothingFoundMessage="No team by that name"
          description="Leaders are set on the Teams page."
          data-testid="user-form-teams"
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone} disabled={saving}>
            Cancel
          </Button>
          <Button type="submit" loading={saving} data-testid="user-save">
            {user ? 'Save' : 'Create user'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
