import type {
  AdminBreakReason,
  AdminEndReason,
  AdminJobRole,
  AdminSkipReason,
  BreakReason,
  CreateBreakReasonBody,
  CreateEndReasonBody,
  CreateJobRoleBody,
  CreateSkipReasonBody,
  EndReason,
  JobRole,
  Role,
  SkipReason,
  UpdateBreakReasonBody,
  UpdateEndReasonBody,
  UpdateJobRoleBody,
  UpdateSkipReasonBody,
} from '@engage/contracts';
import type { Db, DbOrTx } from '../../db/client';
import { audit } from '../../lib/audit';
import { AppError, isUniqueViolation } from '../../lib/errors';
import * as repo from './settings.repository';
import type { SettingsKind } from './settings.repository';
import { withTransaction } from '../../lib/tx';

export type { SettingsKind };
export type SettingsService = ReturnType<typeof createSettingsService>;

export interface Actor {
  id: number;
  role: Role;
}

/** The administrators' view of each kind of item. */
export interface AdminItems {
  job_role: AdminJobRole;
  skip_reason: AdminSkipReason;
  end_reason: AdminEndReason;
  break_reason: AdminBreakReason;
}

const noun: Record<SettingsKind, string> = {
  job_role: 'job role',
  skip_reason: 'skip reason',
  end_reason: 'end reason',
  break_reason: 'break reason',
};

/** Why at least one of each kind stays active: without it agents are stuck. */
const neededFor: Record<SettingsKind, string> = {
  job_role: 'agents need one to sign in to a shift',
  skip_reason: 'agents need one to skip a donor',
  end_reason: 'agents need one to end a call',
  break_reason: 'agents need one to take a break',
};

function nameTaken(kind: SettingsKind, name: string): AppError {
  return new AppError(
    'conflict',
    `A ${noun[kind]} named "${name}" already exists (retired ones count too: restore it instead). Choose another name.`,
    { issues: [{ path: 'body.name', message: 'This name is already used' }] },
  );
}

function notFound(kind: SettingsKind, id: number): AppError {
  return new AppError('not_found', `There is no ${noun[kind]} ${id}. Reload the page and try again.`);
}

const retirement = (r: { position: number; retiredAt: Date | null }) => ({
  position: r.position,
  retired: r.retiredAt !== null,
  retiredAt: r.retiredAt?.toISOString() ?? null,
});

const toJobRole = (r: repo.JobRoleRow): AdminJobRole => ({
  id: r.id,
  name: r.name,
  outbound: r.outbound,
  inbound: r.inbound,
  ...retirement(r),
});
const toSkipReason = (r: repo.SkipReasonRow): AdminSkipReason => ({
  id: r.id,
  name: r.name,
  outcome: r.outcome,
  ...retirement(r),
});
const toEndReason = (r: repo.EndReasonRow): AdminEndReason => ({
  id: r.id,
  name: r.name,
  outcome: r.outcome,
  retryMinutes: r.retryMinutes,
  countsAsContact: r.countsAsContact,
  countsAsSuccess: r.countsAsSuccess,
  direction: r.direction,
  ...retirement(r),
});
const toBreakReason = (r: repo.BreakReasonRow): AdminBreakReason => ({ id: r.id, name: r.name, ...retirement(r) });

/** Every item of a kind (retired ones too), in order; with `id`, that one only. */
async function readAll<K extends SettingsKind>(db: DbOrTx, kind: K, id?: number): Promise<AdminItems[K][]> {
  switch (kind) {
    case 'job_role':
      return (await repo.allJobRoles(db, id)).map(toJobRole) as AdminItems[K][];
    case 'skip_reason':
      return (await repo.allSkipReasons(db, id)).map(toSkipReason) as AdminItems[K][];
    case 'end_reason':
      return (await repo.allEndReasons(db, id)).map(toEndReason) as AdminItems[K][];
    case 'break_reason':
      return (await repo.allBreakReasons(db, id)).map(toBreakReason) as AdminItems[K][];
  }
  throw new Error(`unknown settings kind ${String(kind)}`);
}

async function readOne<K extends SettingsKind>(db: DbOrTx, kind: K, id: number): Promise<AdminItems[K]> {
  const [item] = await readAll(db, kind, id);
  if (!item) throw notFound(kind, id);
  return item;
}

/** What the audit log keeps of an item: everything but its place in the list. */
function auditable(item: AdminItems[SettingsKind]): Record<string, unknown> {
  const { position: _position, retiredAt: _retiredAt, ...rest } = item;
  return rest;
}

/** The end reason's retry minutes: required (> 0) for "retry", none for any other outcome. */
function retryMinutesFor(outcome: EndReason['outcome'], minutes: number | null | undefined): number | null {
  if (outcome !== 'retry') return null;
  if (minutes === null || minutes === undefined || minutes <= 0) {
    throw new AppError(
      'validation_failed',
      'A "retry" end reason needs the minutes to wait before the donor is called again.',
      { issues: [{ path: 'body.retryMinutes', message: 'Enter the minutes until the next call (more than 0)' }] },
    );
  }
  return minutes;
}

function checkWork(outbound: boolean, inbound: boolean): void {
  if (!outbound && !inbound) {
    throw new AppError(
      'validation_failed',
      'A job role takes outbound work, inbound work or both: choose at least one.',
      {
        issues: [{ path: 'body.outbound', message: 'Choose outbound, inbound or both' }],
      },
    );
  }
}

export function createSettingsService(deps: { db: Db; now?: () => Date }) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());

  /** Runs one change in a transaction; a name taken by a concurrent change answers conflict. */
  async function change<T>(kind: SettingsKind, name: string | undefined, fn: (tx: DbOrTx) => Promise<T>): Promise<T> {
    try {
      return await withTransaction(db, fn);
    } catch (err) {
      if (isUniqueViolation(err) && name !== undefined) throw nameTaken(kind, name);
      throw err;
    }
  }

  async function requireFreeName(tx: DbOrTx, kind: SettingsKind, name: string, exceptId?: number) {
    if (await repo.findIdByName(tx, kind, name, exceptId)) throw nameTaken(kind, name);
  }

  async function lockExisting(tx: DbOrTx, kind: SettingsKind, id: number) {
    const row = await repo.lockItem(tx, kind, id);
    if (!row) throw notFound(kind, id);
    return row;
  }

  async function recordCreate<K extends SettingsKind>(tx: DbOrTx, actor: Actor, kind: K, id: number) {
    const item = await readOne(tx, kind, id);
    await audit(tx, {
      actorId: actor.id,
      entityType: kind,
      entityId: id,
      action: 'create',
      after: auditable(item),
      at: now(),
    });
    return item;
  }

  async function recordUpdate<K extends SettingsKind>(
    tx: DbOrTx,
    actor: Actor,
    kind: K,
    before: AdminItems[K],
    action = 'update',
  ): Promise<AdminItems[K]> {
    const after = await readOne(tx, kind, before.id);
    const b = auditable(before);
    const a = auditable(after);
    if (JSON.stringify(b) !== JSON.stringify(a)) {
      await audit(tx, {
        actorId: actor.id,
        entityType: kind,
        entityId: before.id,
        action,
        before: b,
        after: a,
        at: now(),
      });
    }
    return after;
  }

  // Job roles ----------------------------------------------------------------------------------

  function createJobRole(actor: Actor, input: CreateJobRoleBody): Promise<AdminJobRole> {
    return change('job_role', input.name, async (tx) => {
      checkWork(input.outbound, input.inbound);
      await requireFreeName(tx, 'job_role', input.name);
      const position = await repo.nextPosition(tx, 'job_role');
      const id = await repo.insertJobRole(tx, { ...input, position });
      return recordCreate(tx, actor, 'job_role', id);
    });
  }

  function updateJobRole(actor: Actor, id: number, input: UpdateJobRoleBody): Promise<AdminJobRole> {
    return change('job_role', input.name, async (tx) => {
      await lockExisting(tx, 'job_role', id);
      const before = await readOne(tx, 'job_role', id);
      const next = {
        name: input.name ?? before.name,
        outbound: input.outbound ?? before.outbound,
        inbound: input.inbound ?? before.inbound,
      };
      checkWork(next.outbound, next.inbound);
      if (next.name !== before.name) await requireFreeName(tx, 'job_role', next.name, id);
      await repo.updateJobRole(tx, id, next);
      return recordUpdate(tx, actor, 'job_role', before);
    });
  }

  // Skip reasons -------------------------------------------------------------------------------

  function createSkipReason(actor: Actor, input: CreateSkipReasonBody): Promise<AdminSkipReason> {
    return change('skip_reason', input.name, async (tx) => {
      await requireFreeName(tx, 'skip_reason', input.name);
      const position = await repo.nextPosition(tx, 'skip_reason');
      const id = await repo.insertSkipReason(tx, { ...input, position });
      return recordCreate(tx, actor, 'skip_reason', id);
    });
  }

  function updateSkipReason(actor: Actor, id: number, input: UpdateSkipReasonBody): Promise<AdminSkipReason> {
    return change('skip_reason', input.name, async (tx) => {
      await lockExisting(tx, 'skip_reason', id);
      const before = await readOne(tx, 'skip_reason', id);
      const next = { name: input.name ?? before.name, outcome: input.outcome ?? before.outcome };
      if (next.name !== before.name) await requireFreeName(tx, 'skip_reason', next.name, id);
      await repo.updateSkipReason(tx, id, next);
      return recordUpdate(tx, actor, 'skip_reason', before);
    });
  }

  // End reasons --------------------------------------------------------------------------------

  function createEndReason(actor: Actor, input: CreateEndReasonBody): Promise<AdminEndReason> {
    return change('end_reason', input.name, async (tx) => {
      const retryMinutes = retryMinutesFor(input.outcome, input.retryMinutes);
      await requireFreeName(tx, 'end_reason', input.name);
      const position = await repo.nextPosition(tx, 'end_reason');
      const id = await repo.insertEndReason(tx, {
        name: input.name,
        outcome: input.outcome,
        retryMinutes,
        countsAsContact: input.countsAsContact,
        countsAsSuccess: input.countsAsSuccess,
        direction: input.direction,
        position,
      });
      return recordCreate(tx, actor, 'end_reason', id);
    });
  }

  function updateEndReason(actor: Actor, id: number, input: UpdateEndReasonBody): Promise<AdminEndReason> {
    return change('end_reason', input.name, async (tx) => {
      await lockExisting(tx, 'end_reason', id);
      const before = await readOne(tx, 'end_reason', id);
      const outcome = input.outcome ?? before.outcome;
      const next: repo.EndReasonValues = {
        name: input.name ?? before.name,
        outcome,
        retryMinutes: retryMinutesFor(
          outcome,
          input.retryMinutes !== undefined ? input.retryMinutes : before.retryMinutes,
        ),
        countsAsContact: input.countsAsContact ?? before.countsAsContact,
        countsAsSuccess: input.countsAsSuccess ?? before.countsAsSuccess,
        direction: input.direction ?? before.direction,
      };
      if (next.name !== before.name) await requireFreeName(tx, 'end_reason', next.name, id);
      await repo.updateEndReason(tx, id, next);
      return recordUpdate(tx, actor, 'end_reason', before);
    });
  }

  // Break reasons ------------------------------------------------------------------------------

  function createBreakReason(actor: Actor, input: CreateBreakReasonBody): Promise<AdminBreakReason> {
    return change('break_reason', input.name, async (tx) => {
      await requireFreeName(tx, 'break_reason', input.name);
      const position = await repo.nextPosition(tx, 'break_reason');
      const id = await repo.insertBreakReason(tx, { name: input.name, position });
      return recordCreate(tx, actor, 'break_reason', id);
    });
  }

  function updateBreakReason(actor: Actor, id: number, input: UpdateBreakReasonBody): Promise<AdminBreakReason> {
    return change('break_reason', input.name, async (tx) => {
      await lockExisting(tx, 'break_reason', id);
      const before = await readOne(tx, 'break_reason', id);
      if (input.name !== undefined && input.name !== before.name) {
        await requireFreeName(tx, 'break_reason', input.name, id);
        await repo.renameItem(tx, 'break_reason', id, input.name);
      }
      return recordUpdate(tx, actor, 'break_reason', before);
    });
  }

  // Every kind ---------------------------------------------------------------------------------

  function listAll<K extends SettingsKind>(kind: K): Promise<AdminItems[K][]> {
    return readAll(db, kind);
  }

  /**
   * Puts the items in the order given: the ids listed first, in that order, then the others in
   * their present order. Positions become 1, 2, 3, ...
   */
  function reorder<K extends SettingsKind>(actor: Actor, kind: K, ids: number[]): Promise<AdminItems[K][]> {
    return change(kind, undefined, async (tx) => {
      const rows = await repo.lockAll(tx, kind);
      const unique = [...new Set(ids)];
      if (unique.length !== ids.length) {
        throw new AppError('validation_failed', 'Each id may appear once in the new order.', {
          issues: [{ path: 'body.ids', message: 'An id appears twice' }],
        });
      }
      const unknown = unique.filter((id) => !rows.some((r) => r.id === id));
      if (unknown.length) throw notFound(kind, unknown[0]!);
      const ordered = [...unique, ...rows.map((r) => r.id).filter((id) => !unique.includes(id))];
      for (const [i, id] of ordered.entries()) {
        const row = rows.find((r) => r.id === id)!;
        const position = i + 1;
        if (row.position === position) continue;
        await repo.setPosition(tx, kind, id, position);
        await audit(tx, {
          actorId: actor.id,
          entityType: kind,
          entityId: id,
          action: 'reorder',
          before: { position: row.position },
          after: { position },
          at: now(),
        });
      }
      return readAll(tx, kind);
    });
  }

  /** Retires an item: no longer offered; calls, offers and shifts that used it keep it. */
  function retire<K extends SettingsKind>(actor: Actor, kind: K, id: number): Promise<AdminItems[K]> {
    return change(kind, undefined, async (tx) => {
      // Every row of the kind is locked, so two admins retiring the last two cannot both succeed.
      await repo.lockAll(tx, kind);
      const row = await lockExisting(tx, kind, id);
      const before = await readOne(tx, kind, id);
      if (row.retiredAt !== null) return before;
      if ((await repo.countActive(tx, kind)) <= 1) {
        throw new AppError(
          'conflict',
          `"${row.name}" is the last active ${noun[kind]}, and ${neededFor[kind]}. Add another before retiring it.`,
        );
      }
      await repo.setRetiredAt(tx, kind, id, now());
      return recordUpdate(tx, actor, kind, before, 'retire');
    });
  }

  /** Offers a retired item again. */
  function restore<K extends SettingsKind>(actor: Actor, kind: K, id: number): Promise<AdminItems[K]> {
    return change(kind, undefined, async (tx) => {
      const row = await lockExisting(tx, kind, id);
      const before = await readOne(tx, kind, id);
      if (row.retiredAt === null) return before;
      await repo.setRetiredAt(tx, kind, id, null);
      return recordUpdate(tx, actor, kind, before, 'restore');
    });
  }

  return {
    // What agents pick from: active items only.
    jobRoles: (): Promise<JobRole[]> => repo.activeJobRoles(db),
    skipReasons: (): Promise<SkipReason[]> => repo.activeSkipReasons(db),
    endReasons: (): Promise<EndReason[]> => repo.activeEndReasons(db),
    breakReasons: (): Promise<BreakReason[]> => repo.activeBreakReasons(db),
    // Administration.
    listAll,
    createJobRole,
    updateJobRole,
    createSkipReason,
    updateSkipReason,
    createEndReason,
    updateEndReason,
    createBreakReason,
    updateBreakReason,
    reorder,
    retire,
    restore,
  };
}
