import type { AuditTrail, Role } from '@engage/contracts';
import type { Db } from '../../db/client';
import { AppError } from '../../lib/errors';
import { hasRole } from '../../lib/guard';
import * as repo from './audit.repository';

export interface AuditReader {
  id: number;
  role: Role;
}

/** Checks that an entity exists and is in the reader's scope; throws not_found otherwise. */
export type ScopeCheck = (user: AuditReader, entityId: number) => Promise<void>;

export type AuditService = ReturnType<typeof createAuditService>;

/** "a", "a and b", "a, b and c". */
function andList(words: string[]): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

const MAX_ENTRIES = 500;

/**
 * Reads the audit trail. Managers read the trails of the entities they may read (donors,
 * campaigns of the teams they lead, their calls and appointments, the inbound lines their teams answer), each checked by its feature's
 * service under the same rule as reading the entity; admins read any.
 */
export function createAuditService(deps: { db: Db; scopes: Record<string, ScopeCheck> }) {
  async function trail(user: AuditReader, entityType: string, entityId: number): Promise<AuditTrail> {
    const check = Object.hasOwn(deps.scopes, entityType) ? deps.scopes[entityType] : undefined;
    if (check) {
      await check(user, entityId);
    } else if (!hasRole(user, 'admin')) {
      throw new AppError(
        'forbidden',
        `Managers can read the history of ${andList(Object.keys(deps.scopes).map((k) => k.replaceAll('_', ' ')))} records only. Ask an administrator for the history of a ${entityType}.`,
      );
    }
    const rows = await repo.trailOf(deps.db, entityType, entityId, MAX_ENTRIES);
    return {
      entityType,
      entityId,
      entries: rows.map((r) => ({
        id: r.id,
        at: r.at.toISOString(),
        action: r.action,
        actor: r.actorId !== null && r.actorName !== null ? { id: r.actorId, name: r.actorName } : null,
        before: r.before ?? null,
        after: r.after ?? null,
      })),
    };
  }

  return { trail };
}
