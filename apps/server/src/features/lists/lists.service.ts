import type { Readable } from 'node:stream';
import type {
  CreateListBody,
  CreateListFromSearchBody,
  ListDetails,
  ListMemberPage,
  ListMembersQuery,
  ListSummary,
  UpdateListBody,
} from '@engage/contracts';
import { displayName } from '@engage/contracts';
import type { Db, DbOrTx, Tx } from '../../db/client';
import { audit } from '../../lib/audit';
import { AppError, isUniqueViolation } from '../../lib/errors';
import { withTransaction } from '../../lib/tx';
import type { DialerService } from '../dialer/dialer.service';
import type { DonorReacher } from '../donors/donor-reach';
import { toDonorSummary, type DonorsService } from '../donors/donors.service';
import { csvStream, fileNameOf } from './csv';
import * as repo from './lists.repository';

/** A manager or administrator; which donors they reach decides what they see of a list (donor-reach.ts). */
export type ListActor = DonorReacher;

export type ListsService = ReturnType<typeof createListsService>;

const EXPORT_PAGE = 2000;

function toSummary(r: repo.ListRow): ListSummary {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    donorCount: r.donorCount,
    campaigns: r.campaigns,
    createdAt: r.createdAt.toISOString(),
  };
}

function nameTaken(name: string): AppError {
  return new AppError('conflict', `A list named "${name}" already exists. Choose another name.`, {
    issues: [{ path: 'body.name', message: 'Another list has this name' }],
  });
}

/** Lists: named sets of donors that feed campaigns (PRODUCT.md, "Teams, campaigns, lists"). */
export function createListsService(deps: {
  db: Db;
  now: () => Date;
  dialer: Pick<DialerService, 'syncListQueues'>;
  donors: Pick<DonorsService, 'addSearchMatchesToList'>;
}) {
  const { db, now } = deps;

  async function list(): Promise<ListSummary[]> {
    return (await repo.listLists(db)).map(toSummary);
  }

  async function requireList(db: DbOrTx, listId: number): Promise<repo.ListRow> {
    const row = await repo.findList(db, listId);
    if (!row) throw new AppError('not_found', 'No such list. It may have been removed: open Lists and pick it again.');
    return row;
  }

  async function get(listId: number): Promise<ListDetails> {
    const row = await requireList(db, listId);
    const uncallableCount = await repo.countUncallableMembers(db, listId);
    return { ...toSummary(row), createdBy: row.createdByName, uncallableCount };
  }

  /** Creates the list row and its audit record; refuses a name another list has (any case). */
  async function insertNamed(
    tx: Tx,
    actor: ListActor,
    v: { name: string; description: string },
    extra: Record<string, unknown> = {},
  ): Promise<number> {
    if ((await repo.listIdByName(tx, v.name)) !== null) throw nameTaken(v.name);
    const at = now();
    let id: number;
    try {
      id = await repo.insertList(tx, { ...v, createdBy: actor.id, at });
    } catch (err) {
      if (isUniqueViolation(err)) throw nameTaken(v.name);
      throw err;
    }
    await audit(tx, {
      actorId: actor.id,
      entityType: 'list',
      entityId: id,
      action: 'create',
      after: { ...v, ...extra },
      at,
    });
    return id;
  }

  async function create(actor: ListActor, body: CreateListBody): Promise<ListDetails> {
    const id = await withTransaction(db, (tx) =>
      insertNamed(tx, actor, { name: body.name.trim(), description: body.description?.trim() ?? '' }),
    );
    return get(id);
  }

  /** Renames a list and/or changes its description; audited. */
  async function update(actor: ListActor, listId: number, body: UpdateListBody): Promise<ListDetails> {
    await withTransaction(db, async (tx) => {
      const before = await repo.lockList(tx, listId);
      if (!before)
        throw new AppError('not_found', 'No such list. It may have been removed: open Lists and pick it again.');
      const after = {
        name: body.name?.trim() ?? before.name,
        description: body.description?.trim() ?? before.description,
      };
      if (after.name === before.name && after.description === before.description) return;
      if (
        after.name.toLowerCase() !== before.name.toLowerCase() &&
        (await repo.listIdByName(tx, after.name)) !== null
      ) {
        throw nameTaken(after.name);
      }
      try {
        await repo.updateList(tx, listId, after);
      } catch (err) {
        if (isUniqueViolation(err)) throw nameTaken(after.name);
        throw err;
      }
      await audit(tx, {
        actorId: actor.id,
        entityType: 'list',
        entityId: listId,
        action: after.name !== before.name ? 'rename' : 'update',
        before: { name: before.name, description: before.description },
        after,
        at: now(),
      });
    });
    return get(listId);
  }

  /**
   * A new list holding every donor a search finds among those the actor's work reaches (an empty
   * search by a manager: the donors of their lists and teams, never the whole database), made in
   * one transaction with one set-based INSERT ... SELECT; campaigns it feeds (none yet, but the
   * call is cheap) hear of it after.
   */
  async function createFromSearch(actor: ListActor, body: CreateListFromSearchBody): Promise<ListDetails> {
    const q = body.q?.trim() ?? '';
    const id = await withTransaction(db, async (tx) => {
      const listId = await insertNamed(
        tx,
        actor,
        { name: body.name.trim(), description: body.description?.trim() ?? '' },
        { fromSearch: q },
      );
      const added = await deps.donors.addSearchMatchesToList(tx, actor, q, listId);
      await audit(tx, {
        actorId: actor.id,
        entityType: 'list',
        entityId: listId,
        action: 'add_donors',
        after: { fromSearch: q, added },
        at: now(),
      });
      return listId;
    });
    await deps.dialer.syncListQueues(id);
    return get(id);
  }

  /** A page of the list's donors that the actor's work reaches (a manager; an administrator sees all). */
  async function members(actor: ListActor, listId: number, query: ListMembersQuery): Promise<ListMemberPage> {
    await requireList(db, listId);
    const { rows, total } = await repo.membersOf(db, actor, listId, query.pageSize, (query.page - 1) * query.pageSize);
    return {
      members: rows.map((r) => ({
        ...toDonorSummary(r),
        addedAt: r.addedAt.toISOString(),
      })),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /**
   * The list's donors that the actor's work reaches (a manager; an administrator: all of them) as
   * a CSV file, streamed page by page (keyset on donor id), every cell neutralised against formula
   * injection. Audited before the first row leaves: who, which list, how many rows.
   */
  async function exportCsv(actor: ListActor, listId: number): Promise<{ fileName: string; stream: Readable }> {
    const list = await withTransaction(db, async (tx) => {
      const row = await requireList(tx, listId);
      const rows = await repo.reachableMemberCount(tx, actor, listId);
      await audit(tx, {
        actorId: actor.id,
        entityType: 'list',
        entityId: listId,
        action: 'export',
        after: { name: row.name, rows },
        at: now(),
      });
      return row;
    });
    async function* pages(): AsyncGenerator<repo.ExportRow[]> {
      let after = 0;
      for (;;) {
        const page = await repo.exportPage(db, actor, listId, after, EXPORT_PAGE);
        yield page;
        const last = page.at(-1);
        if (!last || page.length < EXPORT_PAGE) return;
        after = last.id;
      }
    }
    const stream = csvStream(
      [
        'reference',
        'first_name',
        'last_name',
        'name',
        'phone',
        'alt_phone',
        'email',
        'address_line1',
        'address_line2',
        'city',
        'postcode',
        'country',
        'time_zone',
        'language',
        'do_not_call',
        'deceased',
        'suppressed',
      ],
      pages,
      (d) => [
        d.reference,
        d.firstName,
        d.lastName,
        displayName(d.firstName, d.lastName),
        d.phone,
        d.altPhone,
        d.email,
        d.addressLine1,
        d.addressLine2,
        d.city,
        d.postcode,
        d.country,
        d.timeZone,
        d.language,
        d.doNotCall ? 'yes' : 'no',
        d.deceased ? 'yes' : 'no',
        d.suppressed ? 'yes' : 'no',
      ],
    );
    return { fileName: fileNameOf(list.name, '.csv'), stream };
  }

  return { list, get, create, update, createFromSearch, members, exportCsv };
}
