import type { PgClient } from '../../lib/tx';

export interface AuditRow {
  id: number;
  at: Date;
  action: string;
  actor_id: number | null;
  actor_name: string | null;
  before: unknown;
  after: unknown;
}

/** The audit records of one entity, newest first (walks audit_log_entity_idx backwards). */
export async function trailOf(c: PgClient, entityType: string, entityId: number, limit: number): Promise<AuditRow[]> {
  const r = await c.query<AuditRow>(
    `SELECT al.id, al.at, al.action, al.actor_id, u.name AS actor_name, al.before, al.after
       FROM audit_log al
       LEFT JOIN users u ON u.id = al.actor_id
      WHERE al.entity_type = $1 AND al.entity_id = $2
      ORDER BY al.at DESC, al.id DESC
      LIMIT $3`,
    [entityType, entityId, limit],
  );
  return r.rows;
}
