import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/db';
import { databaseRoutines } from '../services';
import { installRoutines } from './routines';

// The routines are installed again whenever their text changed: over the objects an earlier text
// left (a database that ran the version before), not only into an empty one.
describe('installRoutines', () => {
  it('installs the routines again over those of an earlier text, and then only reads the marker', async () => {
    const database = await createTestDatabase();
    const c = await database.pool.connect();
    const marker = async () =>
      (
        await c.query<{ comment: string | null }>(
          `SELECT obj_description('dialer_next_donor(int, timestamptz, timestamptz)'::regprocedure, 'pg_proc') AS comment`,
        )
      ).rows[0]!.comment;
    try {
      const installed = await marker();
      expect(installed).toMatch(/^engage routines [0-9a-f]{64}$/);
      // As if an earlier version had installed them.
      await c.query(
        `COMMENT ON FUNCTION dialer_next_donor(int, timestamptz, timestamptz) IS 'engage routines earlier'`,
      );
      await installRoutines(c, databaseRoutines);
      expect(await marker()).toBe(installed);
      const claim = await c.query(
        `SELECT * FROM dialer_claim_next_donor(-1, now(), -1, NULL, 5, now(), -1, interval '1 minute')`,
      );
      expect(claim.rows).toEqual([{ donor_id: null, attempts: null, appointment_id: null, bumped: false }]);
      await installRoutines(c, databaseRoutines); // unchanged: nothing to do
      expect(await marker()).toBe(installed);
    } finally {
      c.release();
    }
  });
});
