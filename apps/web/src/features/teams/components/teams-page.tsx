import type { Team, TeamMember } from '@engage/contracts';
import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Paper,
  Stack,
  Switch,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconPencil, IconPlus, IconUserMinus, IconUserPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { PageHeader } from '../../../components/page-header';
import { roleLabel } from '../../../lib/roles';
import { useCurrentUser } from '../../../lib/session';
import { ConfirmModal, useConfirmTarget } from '../../../components/confirm-modal';
import { useRemoveTeamMember, useSetTeamLeader, useTeams } from '../api/teams-api';
import { AddMemberModal, TeamFormModal } from './team-modals';

const statusColor = { draft: 'gray', active: 'teal', paused: 'yellow', finished: 'dark' } as const;

/** Teams: the manager's own (an admin's: all), their members and leaders. */
export function TeamsPage() {
  const me = useCurrentUser();
  const teams = useTeams();
  const [formTeam, setFormTeam] = useState<Team | null>(null);
  const [formOpen, setFormOpen] = useState(false);
  const [addingTo, setAddingTo] = useState<Team | null>(null);

  return (
    <>
      <PageHeader
        title="Teams"
        description={
          me.role === 'admin'
            ? 'Every team, its members and its leaders. Leaders manage the team and its campaigns.'
            : 'The teams you lead: their members and leaders. A team you create, you lead.'
        }
      />
      <Group justify="flex-end" mb="md">
        <Button
          leftSection={<IconPlus size={16} />}
          onClick={() => {
            setFormTeam(null);
            setFormOpen(true);
          }}
          data-testid="team-create"
        >
          New team
        </Button>
      </Group>
      {teams.isPending && <Loader />}
      {teams.isError && (
        <Alert color="red" title="The teams could not be loaded">
          {teams.error.message}
        </Alert>
      )}
      {teams.data?.length === 0 && (
        <Paper withBorder p="xl" radius="md">
          <Text c="dimmed" data-testid="teams-empty">
            {me.role === 'admin' ? 'No team yet.' : 'You lead no team yet.'} Create one, then add its members.
          </Text>
        </Paper>
      )}
      <Stack gap="md">
        {teams.data?.map((team) => (
          <TeamCard
            key={team.id}
            team={team}
            onRename={() => {
              setFormTeam(team);
              setFormOpen(true);
            }}
            onAddMember={() => setAddingTo(team)}
          />
        ))}
      </Stack>
      <TeamFormModal team={formTeam} opened={formOpen} onClose={() => setFormOpen(false)} />
      <AddMemberModal team={addingTo} onClose={() => setAddingTo(null)} />
    </>
  );
}

function TeamCard({ team, onRename, onAddMember }: { team: Team; onRename: () => void; onAddMember: () => void }) {
  const me = useCurrentUser();
  const setLeader = useSetTeamLeader();
  const remove = useRemoveTeamMember();
  const removing = useConfirmTarget<TeamMember>();
  /** A manager who drops their own leadership loses the team: another leader or an admin does it. */
  const isSelfLocked = (m: TeamMember) => me.role !== 'admin' && m.userId === me.id;

  return (
    <Paper withBorder p="md" radius="md" data-testid="team-card" data-name={team.name} data-team-id={team.id}>
      <Group justify="space-between" mb="sm" wrap="nowrap">
        <Group gap="xs">
          <Title order={3} size="h4" data-testid="team-title">
            {team.name}
          </Title>
          <Tooltip label="Rename">
            <ActionIcon
              variant="subtle"
              onClick={onRename}
              aria-label={`Rename ${team.name}`}
              data-testid="team-rename"
            >
              <IconPencil size={16} />
            </ActionIcon>
          </Tooltip>
          <Badge variant="light" color="gray">
            {team.members.length} {team.members.length === 1 ? 'member' : 'members'}
          </Badge>
        </Group>
        <Button
          variant="light"
          leftSection={<IconUserPlus size={16} />}
          onClick={onAddMember}
          data-testid="team-add-member"
        >
          Add member
        </Button>
      </Group>
      <Group gap={6} mb="sm">
        <Text size="sm" c="dimmed">
          Campaigns:
        </Text>
        {team.campaigns.length === 0 && (
          <Text size="sm" c="dimmed">
            none yet
          </Text>
        )}
        {team.campaigns.map((c) => (
          <Anchor key={c.id} component={Link} to={`/manager/campaigns/${c.id}`} size="sm">
            <Badge variant="light" color={statusColor[c.status]} style={{ cursor: 'pointer' }}>
              {c.name} · {c.status}
            </Badge>
          </Anchor>
        ))}
      </Group>
      {team.members.length === 0 ? (
        <Text size="sm" c="dimmed">
          No members yet: add the agents who work for this team.
        </Text>
      ) : (
        <Table verticalSpacing={6} data-testid="team-members">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>Leader</Table.Th>
              <Table.Th w={60} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {team.members.map((m) => (
              <Table.Tr key={m.userId} data-testid="member-row" data-name={m.name} data-leader={m.isLeader}>
                <Table.Td>
                  <Text size="sm" fw={500} c={m.disabled ? 'dimmed' : undefined}>
                    {m.name}
                    {m.disabled ? ' (disabled)' : ''}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {m.email}
                  </Text>
                </Table.Td>
                <Table.Td>{roleLabel(m.role)}</Table.Td>
                <Table.Td>
                  <Tooltip
                    label={
                      isSelfLocked(m)
                        ? 'Ask another leader or an administrator to change your own leadership'
                        : m.role === 'agent'
                          ? 'Agents can be members only'
                          : m.isLeader
                            ? 'Leads this team'
                            : 'Make a leader'
                    }
                  >
                    <div style={{ display: 'inline-block' }}>
                      <Switch
                        checked={m.isLeader}
                        disabled={isSelfLocked(m) || (m.role === 'agent' && !m.isLeader) || setLeader.isPending}
                        onChange={(e) =>
                          setLeader.mutate({
                            teamId: team.id,
                            userId: m.userId,
                            isLeader: e.currentTarget.checked,
                            userName: m.name,
                          })
                        }
                        aria-label={`${m.name} leads ${team.name}`}
                        data-testid="member-leader-toggle"
                      />
                    </div>
                  </Tooltip>
                </Table.Td>
                <Table.Td>
                  <Tooltip label={isSelfLocked(m) ? 'You lead this team' : 'Remove from team'}>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      disabled={isSelfLocked(m)}
                      onClick={() => removing.ask(m)}
                      aria-label={`Remove ${m.name}`}
                      data-testid="member-remove"
                    >
                      <IconUserMinus size={16} />
                    </ActionIcon>
                  </Tooltip>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <ConfirmModal
        opened={removing.opened}
        title={`Remove ${removing.target?.name ?? ''} from ${team.name}?`}
        confirmLabel="Remove"
        loading={remove.isPending}
        onClose={removing.close}
        onConfirm={() => {
          const m = removing.target;
          if (m) {
            remove.mutate({ teamId: team.id, userId: m.userId, userName: m.name }, { onSuccess: removing.close });
          }
        }}
        testId="member-remove"
      >
        They will no longer call for this team&apos;s campaigns. Their past calls stay.
      </ConfirmModal>
    </Paper>
  );
}
