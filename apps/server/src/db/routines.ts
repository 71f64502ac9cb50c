import { createHash } from 'node:crypto';
import type pg from 'pg';
import { DIALER_ROUTINES } from '../features/dialer/dialer.routines';

/**
 * Views and functions whose source lives next to the feature that uses them, in `.sql` files
 * (today the dialer's: features/dialer/sql, read by dialer.routines.ts). Unlike tables they hold
 * no data, so they are replaced as a whole when their text changes, right after the migrations
 * and under the same start-up lock; the text's hash is kept as the comment of one function, so an
 * unchanged start-up only reads that comment.
 */
const ROUTINES = DIALER_ROUTINES;
const MARKER_FUNCTION = 'dialer_next_donor(int, timestamptz, timestamptz)';

export async function installRoutines(client: pg.ClientBase): Promise<void> {
  const marker = `engage routines ${createHash('sha256').update(ROUTINES).digest('hex')}`;
  const current = await client.query<{ comment: string | null }>(
    `SELECT obj_description(to_regprocedure($1), 'pg_proc') AS comment`,
    [MARKER_FUNCTION],
  );
  if (current.rows[0]?.comment === marker) return;
  await client.query('BEGIN');
  try {
    await client.query(ROUTINES);
    await client.query(`COMMENT ON FUNCTION ${MARKER_FUNCTION} IS '${marker}'`);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
}
