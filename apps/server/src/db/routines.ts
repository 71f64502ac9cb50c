import { createHash } from 'node:crypto';
import type pg from 'pg';

/**
 * Views and functions whose source lives next to the feature that uses them, in `.sql` files
 * (today the dialer's: features/dialer/sql, read by dialer.routines.ts). The feature hands them in
 * (services.ts names them: `databaseRoutines`), so db/ knows no feature. Unlike tables they hold
 * no data, so they are replaced as a whole when their text changes, right after the migrations
 * and under the same start-up lock; the text's hash is kept as the comment of one of the
 * functions (`markerFunction`, its signature), so an unchanged start-up only reads that comment.
 */
export interface DatabaseRoutines {
  /** The whole text, run as one script. */
  sql: string;
  /** The signature of a function the text creates, e.g. 'dialer_next_donor(int, timestamptz, timestamptz)'. */
  markerFunction: string;
}

export async function installRoutines(client: pg.ClientBase, routines: DatabaseRoutines): Promise<void> {
  const marker = `engage routines ${createHash('sha256').update(routines.sql).digest('hex')}`;
  const current = await client.query<{ comment: string | null }>(
    `SELECT obj_description(to_regprocedure($1), 'pg_proc') AS comment`,
    [routines.markerFunction],
  );
  if (current.rows[0]?.comment === marker) return;
  await client.query('BEGIN');
  try {
    await client.query(routines.sql);
    await client.query(`COMMENT ON FUNCTION ${routines.markerFunction} IS '${marker}'`);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
}
