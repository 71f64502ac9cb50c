import type { AddTeamMemberBody, CreateTeamBody, Role, Team, UpdateTeamBody } from '@engage/contracts';
import type { Db, DbOrTx } from '../../db/client';
import { audit } from '../../lib/audit';
import { AppError, isUniqueViolation } from '../../lib/errors';
import { managedTeamIds } from '../../lib/scope';
import * as repo from './teams.repository';
import { withTransaction } from '../../lib/tx';

export interface Actor {
  id: number;
  role: Role;
}

export type TeamsService = ReturnType<typeof createTeamsService>;

function nameTaken(name: string): AppError {
  return new AppError('conflict', `A team named "${name}" already exists. Choose another name.`);
}

function uniqueIds(ids: readonly number[]): number[] {
  return [...new Set(ids)];
}

/**
 * Whom the holder of `scope` (the teams they lead; null: an administrator) may add to those teams,
 * a new team's first members included. An administrator anyone. A manager: a user in no team, one
 * already in a team they lead, or a manager or administrator (to lead with them; their work for
 * other teams shows on the floor only as busy elsewhere). An agent of other teams joins only by an
 * administrator: on the Users page, or on the Teams page.
 */
export function mayAddToTeams(scope: readonly number[] | null, user: { role: Role; teamIds: readonly number[] }) {
  return (
    scope === null ||
    user.role !== 'agent' ||
    user.teamIds.length === 0 ||
    user.teamIds.some((id) => scope.includes(id))
  );
}

/** The teams each user belongs to (for the users feature), by user id. */
export async function teamsOfUsers(
  db: DbOrTx,
  userIds: number[] | null,
): Promise<Map<number, { id: number; name: string; isLeader: boolean }[]>> {
  const rows = await repo.membershipsOfUsers(db, userIds);
  const byUser = new Map<number, { id: number; name: string; isLeader: boolean }[]>();
  for (const r of rows) {
    const list = byUser.get(r.userId) ?? [];
    list.push({ id: r.teamId, name: r.teamName, isLeader: r.isLeader });
    byUser.set(r.userId, list);
  }
  return byUser;
}

/**
 * Puts a user in exactly these teams, inside the caller's transaction (the users feature, when an
 * admin edits an account). Teams they stay in keep their leader flag.
 */
export async function setTeamsOfUser(tx: DbOrTx, userId: number, teamIds: readonly number[]): Promise<void> {
  const ids = uniqueIds(teamIds);
  const found = await repo.existingTeams(tx, ids);
  const missing = ids.filter((id) => !found.some((t) => t.id === id));
  if (missing.length) {
    throw new AppError('not_found', `There is no team with id ${missing.join(', ')}. Choose teams from the list.`);
  }
  await repo.deleteMembershipsExcept(tx, userId, ids);
  await repo.insertMemberships(tx, userId, ids);
}

export function createTeamsService(deps: { db: Db; now: () => Date }) {
  const { db, now } = deps;

  async function build(tx: DbOrTx, rows: repo.TeamRow[]): Promise<Team[]> {
    const ids = rows.map((r) => r.id);
    const [members, campaigns] = await Promise.all([repo.membersOf(tx, ids), repo.campaignsOf(tx, ids)]);
    return rows.map((t) => ({
      id: t.id,
      name: t.name,
      createdAt: t.createdAt.toISOString(),
      members: members
        .filter((m) => m.teamId === t.id)
        .map((m) => ({
          userId: m.userId,
          name: m.name,
          email: m.email,
          role: m.role,
          isLeader: m.isLeader,
          disabled: m.disabledAt !== null,
        })),
      campaigns: campaigns.filter((c) => c.teamId === t.id).map((c) => ({ id: c.id, name: c.name, status: c.status })),
    }));
  }

  async function buildOne(tx: DbOrTx, teamId: number): Promise<Team> {
    const rows = await repo.listTeams(tx, [teamId]);
    const [team] = await build(tx, rows);
    if (!team) throw new AppError('not_found', `There is no team ${teamId}. Reload the Teams page.`);
    return team;
  }

  /**
   * The team, locked, when the actor may manage it. A team a manager does not lead answers the
   * same as a team that does not exist: not_found.
   */
  async function requireTeam(tx: DbOrTx, actor: Actor, teamId: number): Promise<repo.TeamRow> {
    const scope = await managedTeamIds(tx, actor);
    const team = scope === null || scope.includes(teamId) ? await repo.lockTeam(tx, teamId) : undefined;
    if (!team) {
      throw new AppError(
        'not_found',
        scope === null
          ? `There is no team ${teamId}. Reload the Teams page.`
          : `There is no team ${teamId} among the teams you lead. Choose one from the Teams page.`,
      );
    }
    return team;
  }

  async function requireMember(tx: DbOrTx, team: repo.TeamRow, userId: number) {
    const member = await repo.findMember(tx, team.id, userId);
    if (!member) {
      throw new AppError('not_found', `That user is not a member of ${team.name}. Reload the team and try again.`);
    }
    return member;
  }

  /** A manager who drops their own leadership loses the team: another leader or an admin does it. */
  function refuseSelfDemotion(actor: Actor, userId: number, team: repo.TeamRow, doing: string): void {
    if (actor.role !== 'admin' && actor.id === userId) {
      throw new AppError(
        'conflict',
        `You lead ${team.name}: ${doing} yourself would take the team out of your hands. Ask another leader or an administrator to do it.`,
      );
    }
  }

  async function checkJoiners(tx: DbOrTx, actor: Actor, userIds: number[], asLeader: boolean) {
    const found = await repo.findUsers(tx, userIds);
    const scope = await managedTeamIds(tx, actor);
    const memberships = scope === null ? [] : await repo.membershipsOfUsers(tx, userIds);
    for (const id of userIds) {
      const u = found.find((x) => x.id === id);
      if (!u) throw new AppError('not_found', `There is no user with id ${id}. Choose someone from the list.`);
      if (u.disabledAt) {
        throw new AppError('conflict', `${u.name}'s account is disabled. Ask an administrator to enable it first.`);
      }
      const teamIds = memberships.filter((m) => m.userId === id).map((m) => m.teamId);
      if (!mayAddToTeams(scope, { role: u.role, teamIds })) {
        throw new AppError(
          'forbidden',
          `${u.name} works in teams you do not lead. Ask an administrator to add them to your team.`,
        );
      }
      if (asLeader && u.role === 'agent') {
        throw new AppError(
          'validation_failed',
          `${u.name} is an agent: only managers and administrators can lead a team. Add them as a member.`,
          { issues: [{ path: 'body.isLeader', message: 'Only managers and administrators can lead a team' }] },
        );
      }
    }
    return found;
  }

  async function list(actor: Actor): Promise<Team[]> {
    const scope = await managedTeamIds(db, actor);
    return build(db, await repo.listTeams(db, scope));
  }

  async function get(actor: Actor, teamId: number): Promise<Team> {
    return withTransaction(db, async (tx) => {
      await requireTeam(tx, actor, teamId);
      return buildOne(tx, teamId);
    });
  }

  async function create(actor: Actor, input: CreateTeamBody): Promise<Team> {
    try {
      return await withTransaction(db, async (tx) => {
        if (await repo.findTeamIdByName(tx, input.name)) throw nameTaken(input.name);
        const memberIds = uniqueIds(input.memberIds ?? []).filter((id) => id !== actor.id || actor.role === 'admin');
        await checkJoiners(tx, actor, memberIds, false);
        const team = await repo.insertTeam(tx, input.name);
        // A manager who creates a team leads it (it is how they come to manage it).
        if (actor.role !== 'admin') await repo.insertMember(tx, { teamId: team.id, userId: actor.id, isLeader: true });
        for (const userId of memberIds) await repo.insertMember(tx, { teamId: team.id, userId, isLeader: false });
        const built = await buildOne(tx, team.id);
        await audit(tx, {
          actorId: actor.id,
          entityType: 'team',
          entityId: team.id,
          action: 'create',
          after: { name: built.name, members: built.members.map((m) => ({ userId: m.userId, isLeader: m.isLeader })) },
          at: now(),
        });
        return built;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw nameTaken(input.name);
      throw err;
    }
  }

  async function update(actor: Actor, teamId: number, input: UpdateTeamBody): Promise<Team> {
    try {
      return await withTransaction(db, async (tx) => {
        const team = await requireTeam(tx, actor, teamId);
        if (team.name !== input.name) {
          if (await repo.findTeamIdByName(tx, input.name, teamId)) throw nameTaken(input.name);
          await repo.renameTeam(tx, teamId, input.name);
          await audit(tx, {
            actorId: actor.id,
            entityType: 'team',
            entityId: teamId,
            action: 'update',
            before: { name: team.name },
            after: { name: input.name },
            at: now(),
          });
        }
        return buildOne(tx, teamId);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw nameTaken(input.name);
      throw err;
    }
  }

  async function addMember(actor: Actor, teamId: number, input: AddTeamMemberBody): Promise<Team> {
    return withTransaction(db, async (tx) => {
      const team = await requireTeam(tx, actor, teamId);
      const [user] = await checkJoiners(tx, actor, [input.userId], input.isLeader);
      const added = await repo.insertMember(tx, { teamId, userId: input.userId, isLeader: input.isLeader });
      if (!added) {
        throw new AppError(
          'conflict',
          `${user?.name ?? 'That user'} is already a member of ${team.name}. Use the leader switch to change their part in it.`,
        );
      }
      await audit(tx, {
        actorId: actor.id,
        entityType: 'team',
        entityId: teamId,
        action: 'add_member',
        after: { userId: input.userId, isLeader: input.isLeader },
        at: now(),
      });
      return buildOne(tx, teamId);
    });
  }

  async function removeMember(actor: Actor, teamId: number, userId: number): Promise<Team> {
    return withTransaction(db, async (tx) => {
      const team = await requireTeam(tx, actor, teamId);
      const member = await requireMember(tx, team, userId);
      refuseSelfDemotion(actor, userId, team, 'removing');
      await repo.deleteMember(tx, teamId, userId);
      await audit(tx, {
        actorId: actor.id,
        entityType: 'team',
        entityId: teamId,
        action: 'remove_member',
        before: { userId, isLeader: member.isLeader },
        at: now(),
      });
      return buildOne(tx, teamId);
    });
  }

  async function setLeader(actor: Actor, teamId: number, userId: number, isLeader: boolean): Promise<Team> {
    return withTransaction(db, async (tx) => {
      const team = await requireTeam(tx, actor, teamId);
      const member = await requireMember(tx, team, userId);
      if (member.isLeader !== isLeader) {
        if (isLeader) await checkJoiners(tx, actor, [userId], true);
        else refuseSelfDemotion(actor, userId, team, 'un-leading');
        await repo.setLeader(tx, teamId, userId, isLeader);
        await audit(tx, {
          actorId: actor.id,
          entityType: 'team',
          entityId: teamId,
          action: isLeader ? 'set_leader' : 'unset_leader',
          before: { userId, isLeader: member.isLeader },
          after: { userId, isLeader },
          at: now(),
        });
      }
      return buildOne(tx, teamId);
    });
  }

  return { list, get, create, update, addMember, removeMember, setLeader };
}
