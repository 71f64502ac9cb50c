import { createTeamBodySchema } from '@engage/contracts';
import type { Team } from '@engage/contracts';
import { Button, Checkbox, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { validateWithSchema } from '../../../lib/form-validation';
import { roleLabel } from '../../../lib/roles';
import { useCurrentUser } from '../../../lib/session';
import { useUsers } from '../../admin/api/users-api';
import { showServerError } from '../../../lib/form-errors';
import { useAddTeamMember, useCreateTeam, useRenameTeam } from '../api/teams-api';
import { MultiSelectField } from '../../../components/multi-select-field';

/** Whom a manager may add is decided by the server (`addableToYourTeams`); this says why someone is missing. */
const OTHER_TEAMS_HINT = 'Agents of teams you do not lead are added by an administrator.';

/** Create a team (team: null), or rename one. */
export function TeamFormModal({ team, opened, onClose }: { team: Team | null; opened: boolean; onClose: () => void }) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={<Text fw={650}>{team ? `Rename ${team.name}` : 'New team'}</Text>}
      centered
    >
      {opened && <TeamForm team={team} onDone={onClose} />}
    </Modal>
  );
}

function TeamForm({ team, onDone }: { team: Team | null; onDone: () => void }) {
  const me = useCurrentUser();
  const users = useUsers();
  const create = useCreateTeam();
  const rename = useRenameTeam();
  const saving = create.isPending || rename.isPending;
  const form = useForm({
    mode: 'controlled',
    initialValues: { name: team?.name ?? '', memberIds: [] as string[] },
    // The members are checked by the server (who may be added); the select offers only them.
    validate: validateWithSchema(createTeamBodySchema.pick({ name: true })),
  });
  const submit = form.onSubmit((v) => {
    const onError = (error: unknown) => showServerError(form, ['name', 'memberIds'], error);
    if (team) {
      rename.mutate({ teamId: team.id, name: v.name.trim() }, { onSuccess: onDone, onError });
    } else {
      create.mutate({ name: v.name.trim(), memberIds: v.memberIds.map(Number) }, { onSuccess: onDone, onError });
    }
  });
  const people = (users.data ?? []).filter((u) => !u.disabled && u.addableToYourTeams && u.id !== me.id);
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <TextInput
          {...form.getInputProps('name')}
          label="Team name"
          placeholder="e.g. Sponsorship callers"
          withAsterisk
          data-autofocus
          data-testid="team-name"
        />
        {!team && (
          <MultiSelectField
            {...form.getInputProps('memberIds')}
            label="Members"
            placeholder={users.isPending ? 'Loading people…' : 'Add people now or later'}
            description={me.role === 'admin' ? undefined : `You lead the teams you create. ${OTHER_TEAMS_HINT}`}
            data={people.map((u) => ({ value: String(u.id), label: `${u.name} (${roleLabel(u.role)})` }))}
            searchable
            clearable
            nothingFoundMessage="Nobody by that name"
            data-testid="team-members-select"
          />
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone} disabled={saving}>
            Cancel
          </Button>
          <Button type="submit" loading={saving} data-testid="team-save">
            {team ? 'Save' : 'Create team'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Add someone to a team, as a member or a leader. */
export function AddMemberModal({ team, onClose }: { team: Team | null; onClose: () => void }) {
  return (
    <Modal opened={team !== null} onClose={onClose} title={<Text fw={650}>Add someone to {team?.name}</Text>} centered>
      {team && <AddMemberForm team={team} onDone={onClose} />}
    </Modal>
  );
}

function AddMemberForm({ team, onDone }: { team: Team; onDone: () => void }) {
  const me = useCurrentUser();
  const users = useUsers();
  const add = useAddTeamMember();
  const [userId, setUserId] = useState<string | null>(null);
  const [isLeader, setIsLeader] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inTeam = new Set(team.members.map((m) => m.userId));
  const candidates = (users.data ?? []).filter((u) => !u.disabled && u.addableToYourTeams && !inTeam.has(u.id));
  const chosen = candidates.find((u) => String(u.id) === userId);

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (!chosen) {
          setError('Choose someone to add');
          return;
        }
        add.mutate(
          { teamId: team.id, body: { userId: chosen.id, isLeader }, userName: chosen.name },
          { onSuccess: onDone },
        );
      }}
    >
      <Stack gap="md">
        <Select
          label="Person"
          placeholder={users.isPending ? 'Loading people…' : 'Search by name'}
          data={candidates.map((u) => ({ value: String(u.id), label: `${u.name} (${roleLabel(u.role)})` }))}
          value={userId}
          onChange={(v) => {
            setUserId(v);
            setError(null);
            if (candidates.find((u) => String(u.id) === v)?.role === 'agent') setIsLeader(false);
          }}
          searchable
          error={error}
          nothingFoundMessage="Nobody by that name (or already in the team)"
          description={me.role === 'admin' ? undefined : OTHER_TEAMS_HINT}
          data-autofocus
          data-testid="member-select"
        />
        <Checkbox
          label="Leader: manages this team, its campaigns and sees its agents on the floor"
          checked={isLeader}
          disabled={chosen?.role === 'agent'}
          description={chosen?.role === 'agent' ? 'Agents can be members only' : undefined}
          onChange={(e) => setIsLeader(e.currentTarget.checked)}
          data-testid="member-leader"
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone} disabled={add.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={add.isPending} data-testid="member-add-confirm">
            Add to team
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
