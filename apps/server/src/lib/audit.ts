import type { DbOrTx } from '../db/client';
import { auditLog } from '../db/schema';
import type { PgClient } from './tx';

export interface AuditEntry {
  actorId: number;
  entityType: string;
  entityId: number;
  action: string;
  before?: unknown;
  after?: unknown;
  at?: Date;
}

/** Writes an audit record with Drizzle, inside the caller's transaction. */
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

/** The same, on a raw pooled connection inside the caller's transaction. */
export async function auditPg(c: PgClient, e: AuditEntry): Promise<void> {
  await c.query(
    `INSERT INTO audit_log (actor_id, entity_type, entity_id, action, before, after, at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      e.actorId,
      e.entityType,
      e.entityId,
      e.action,
      e.before === undefined ? null : JSON.stringify(e.before),
      e.after === undefined ? null : JSON.stringify(e.after),
      e.at ?? new Date(),
    ],
  );
}
