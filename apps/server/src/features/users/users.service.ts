import type { AdminUser, Role, UpdateUserBody } from '@engage/contracts';
import type { Db, DbOrTx } from '../../db/client';
import { audit } from '../../lib/audit';
import { AppError, isUniqueViolation } from '../../lib/errors';
import { checkNewPassword, hashPassword } from '../../lib/password';
import { managedTeamIds } from '../../lib/scope';
import type { DialerService } from '../dialer/dialer.service';
import { clearSignInAttempts } from '../auth/auth.service';
import { mayAddToTeams, setTeamsOfUser, teamsOfUsers } from '../teams/teams.service';
import * as repo from './users.repository';
import { withTransaction } from '../../lib/tx';

export interface Actor {
  id: number;
  role: Role;
}

export type UsersService = ReturnType<typeof createUsersService>;

function emailTaken(email: string): AppError {
  return new AppError('conflict', `A user with the email ${email} already exists. Use another email.`, {
    issues: [{ path: 'body.email', message: 'Already used by another user' }],
  });
}

/** What the audit log keeps of an account (never the password or its hash). */
function snapshot(u: AdminUser) {
  return {
    email: u.email,
    name: u.name,
    role: u.role,
    disabled: u.disabled,
    teamIds: u.teams.map((t) => t.id),
  };
}

export function createUsersService(deps: {
  db: Db;
  /** Drops this instance's cached sessions of a user at once (other instances hear it from PostgreSQL). */
  sessions: { forget(userIds: number[]): void };
  /** Signing out an agent's shift when their account is disabled is the dialer's work. */
  shifts: Pick<DialerService, 'endShiftsOfAgents'>;
  now?: () => Date;
}) {
  const { db, sessions, shifts } = deps;
  const now = deps.now ?? (() => new Date());

  /**
   * The accounts as `scope` may see them (the teams a manager leads; null: an administrator): a
   * manager sees only the memberships of their own teams, and whom they may add to them.
   */
  async function toAdminUsers(
    tx: DbOrTx,
    rows: repo.UserRow[],
    all: boolean,
    scope: number[] | null = null,
  ): Promise<AdminUser[]> {
    const teams = await teamsOfUsers(tx, all ? null : rows.map((r) => r.id));
    return rows.map((r) => {
      const memberOf = teams.get(r.id) ?? [];
      return {
        id: r.id,
        email: r.email,
        name: r.name,
        role: r.role,
        disabled: r.disabledAt !== null,
        disabledAt: r.disabledAt?.toISOString() ?? null,
        createdAt: r.createdAt.toISOString(),
        teams: scope === null ? memberOf : memberOf.filter((t) => scope.includes(t.id)),
        addableToYourTeams: mayAddToTeams(scope, { role: r.role, teamIds: memberOf.map((t) => t.id) }),
      };
    });
  }

  async function loadOne(tx: DbOrTx, id: number): Promise<AdminUser> {
    const row = await repo.findUser(tx, id);
    if (!row) throw new AppError('not_found', `There is no user ${id}. Reload the Users page.`);
    const [user] = await toAdminUsers(tx, [row], false);
    return user!;
  }

  async function lockOne(tx: DbOrTx, id: number): Promise<AdminUser> {
    const row = await repo.lockUser(tx, id);
    if (!row) throw new AppError('not_found', `There is no user ${id}. Reload the Users page.`);
    const [user] = await toAdminUsers(tx, [row], false);
    return user!;
  }

  /**
   * Locks the active administrators (in id order), then the user. Every change that may count the
   * administrators takes them first, in the same order: two administrators disabling each other at
   * once then take turns (the second finds its target the last one, or its own session gone)
   * instead of each holding one row and waiting for the other's (a deadlock, answered 500).
   */
  async function lockAdminsThenOne(tx: DbOrTx, id: number): Promise<AdminUser> {
    await repo.lockActiveAdminIds(tx);
    return lockOne(tx, id);
  }

  /** Refuses a change that would leave no active administrator. */
  async function keepOneAdmin(tx: DbOrTx, user: AdminUser, doing: string): Promise<void> {
    if (user.role !== 'admin' || user.disabled) return;
    const admins = await repo.lockActiveAdminIds(tx);
    if (admins.length <= 1 && admins.includes(user.id)) {
      throw new AppError(
        'conflict',
        `${user.name} is the last active administrator: ${doing} would leave nobody to manage users and settings. Make another user an administrator first.`,
      );
    }
  }

  /** Every account, with its teams (a manager: those they lead); never a password hash. */
  async function list(viewer: Actor): Promise<AdminUser[]> {
    return toAdminUsers(db, await repo.listUsers(db), true, await managedTeamIds(db, viewer));
  }

  /**
   * Creates an account. `actor` is the administrator doing it: the user must then choose their own
   * password at first sign-in. The create-admin command line has no actor: the new administrator
   * typed their own password, and is recorded as having created themselves.
   */
  async function create(
    input: { email: string; name: string; role: Role; password: string; teamIds?: number[] },
    actor?: Actor,
  ): Promise<AdminUser> {
    checkNewPassword(input.password);
    const email = input.email.trim().toLowerCase();
    const passwordHash = await hashPassword(input.password);
    try {
      return await withTransaction(db, async (tx) => {
        if (await repo.findUserIdByEmail(tx, email)) throw emailTaken(email);
        const row = await repo.insertUser(tx, {
          email,
          name: input.name.trim(),
          role: input.role,
          passwordHash,
          mustChangePassword: actor !== undefined,
        });
        if (input.teamIds?.length) await setTeamsOfUser(tx, row.id, input.teamIds);
        const user = await loadOne(tx, row.id);
        await audit(tx, {
          actorId: actor?.id ?? row.id,
          entityType: 'user',
          entityId: row.id,
          action: 'create',
          after: snapshot(user),
          at: now(),
        });
        return user;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw emailTaken(email);
      throw err;
    }
  }

  async function update(actor: Actor, userId: number, input: UpdateUserBody): Promise<AdminUser> {
    try {
      const updated = await withTransaction(db, async (tx) => {
        const before = input.role !== undefined ? await lockAdminsThenOne(tx, userId) : await lockOne(tx, userId);
        if (input.role !== undefined && input.role !== before.role && before.role === 'admin') {
          await keepOneAdmin(tx, before, 'changing their role');
        }
        if (input.email !== undefined && (await repo.findUserIdByEmail(tx, input.email, userId))) {
          throw emailTaken(input.email);
        }
        const patch: { email?: string; name?: string; role?: Role } = {};
        if (input.email !== undefined) patch.email = input.email;
        if (input.name !== undefined) patch.name = input.name;
        if (input.role !== undefined) patch.role = input.role;
        if (Object.keys(patch).length) await repo.updateUser(tx, userId, patch, now());
        if (input.teamIds !== undefined) await setTeamsOfUser(tx, userId, input.teamIds);
        const after = await loadOne(tx, userId);
        if (JSON.stringify(snapshot(before)) !== JSON.stringify(snapshot(after))) {
          await audit(tx, {
            actorId: actor.id,
            entityType: 'user',
            entityId: userId,
            action: 'update',
            before: snapshot(before),
            after: snapshot(after),
            at: now(),
          });
        }
        return after;
      });
      sessions.forget([userId]);
      return updated;
    } catch (err) {
      if (isUniqueViolation(err) && input.email !== undefined) throw emailTaken(input.email);
      throw err;
    }
  }

  /**
   * Disables an account and, in one transaction, ends all its sessions and its shift: an open call
   * is ended and kept on record ("Ended by a manager", the donor called again later), a held donor
   * released, and the floor hears of it when the transaction commits.
   */
  async function disable(actor: Actor, userId: number): Promise<AdminUser> {
    const disabled = await withTransaction(db, async (tx) => {
      if (userId === actor.id) {
        throw new AppError('conflict', 'You cannot disable your own account. Ask another administrator to do it.');
      }
      const before = await lockAdminsThenOne(tx, userId);
      if (before.disabled) return before;
      await keepOneAdmin(tx, before, 'disabling them');
      const t = now();
      await repo.updateUser(tx, userId, { disabledAt: t }, t);
      const ended = await repo.deleteSessionsOf(tx, userId);
      const shiftsEnded = await shifts.endShiftsOfAgents(tx, [userId], 'manager');
      const after = await loadOne(tx, userId);
      await audit(tx, {
        actorId: actor.id,
        entityType: 'user',
        entityId: userId,
        action: 'disable',
        before: snapshot(before),
        after: { ...snapshot(after), sessionsEnded: ended, shiftsEnded: shiftsEnded.map((x) => x.id) },
        at: t,
      });
      return after;
    });
    sessions.forget([userId]);
    return disabled;
  }

  async function enable(actor: Actor, userId: number): Promise<AdminUser> {
    return withTransaction(db, async (tx) => {
      const before = await lockOne(tx, userId);
      if (!before.disabled) return before;
      const t = now();
      await repo.updateUser(tx, userId, { disabledAt: null }, t);
      const after = await loadOne(tx, userId);
      await audit(tx, {
        actorId: actor.id,
        entityType: 'user',
        entityId: userId,
        action: 'enable',
        before: snapshot(before),
        after: snapshot(after),
        at: t,
      });
      return after;
    });
  }

  /**
   * An administrator sets a new password: the user's sessions end, they sign in with it (at once,
   * even after too many failed attempts) and must then choose their own.
   */
  async function resetPassword(actor: Actor, userId: number, password: string): Promise<void> {
    checkNewPassword(password);
    const passwordHash = await hashPassword(password);
    await withTransaction(db, async (tx) => {
      const user = await lockOne(tx, userId);
      const t = now();
      await repo.setPasswordHash(tx, userId, passwordHash, t);
      await clearSignInAttempts(tx, user.email);
      const ended = await repo.deleteSessionsOf(tx, userId);
      await audit(tx, {
        actorId: actor.id,
        entityType: 'user',
        entityId: userId,
        action: 'reset_password',
        after: { sessionsEnded: ended },
        at: t,
      });
    });
    sessions.forget([userId]);
  }

  return { list, create, update, disable, enable, resetPassword };
}
