import type { DbOrTx } from '../db/client';
import { auditLog } from '../db/schema';

export interface AuditEntry {
  actorId: number;
  entityType: string;
  entityId: number;
  action: string;
  before?: unknown;
  after?: unknown;
  at?: Date;
}

/** Writes an audit record inside the caller's transaction. */
export async function audit(tx: DbOrTx, e: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    actorId: e.actorId,
    entityType: e.entityType,
    entityId: e.entityId,
    action: e.action,
    before: e.before ?? null,
    after: e.after ?? null,
    at: e.at ?? new Date(),
  });
}
