import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client';
import { createTestDatabase } from '../../../test/db';
import { donorsByPhone } from './donors.repository';

let database: Database;

beforeAll(async () => {
  database = await createTestDatabase();
  await database.pool.query(
    `INSERT INTO donors (reference, first_name, last_name, phone, alt_phone)
     SELECT 'PH-' || g, 'A', 'B', '+4470' || lpad(g::text, 8, '0'), '+4471' || lpad(g::text, 8, '0')
       FROM generate_series(1, 20000) g`,
  );
  await database.pool.query('ANALYZE donors');
});

describe("donorsByPhone: an inbound caller's number against donors' main and other phones", () => {
  it('is answered by the two phone indexes, never a scan of 20,000 donors', async () => {
    const query = donorsByPhone(database.db, '+447000000042', 11).toSQL();
    const plan = await database.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${query.sql}`, query.params);
    const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).not.toContain('Seq Scan on donors');
    expect(text).toContain('donors_phone_idx');
    expect(text).toContain('donors_alt_phone_idx');
  });

  it('finds donors by either phone', async () => {
    expect((await donorsByPhone(database.db, '+447000000042', 11)).map((d) => d.reference)).toEqual(['PH-42']);
    expect((await donorsByPhone(database.db, '+447100000043', 11)).map((d) => d.reference)).toEqual(['PH-43']);
    expect(await donorsByPhone(database.db, '+447200000043', 11)).toEqual([]);
  });
});
