import { getTableColumns, sql, type Column } from 'drizzle-orm';
import { CasingCache } from 'drizzle-orm/casing';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Tx } from '../db/client';

const casing = new CasingCache('snake_case');

/**
 * Inserts many rows at once: one statement per chunk, each column sent as ONE array parameter and
 * spread with `unnest`. Several times faster than a multi-row VALUES list built by the query
 * builder (which creates one parameter, and one object, per cell), and never near Postgres' limit
 * of 65,535 parameters.
 *
 * Values go through each column's own driver mapping (dates, JSON...). A key absent from every row
 * is left to the column default; absent from only some rows, it is null there.
 */
export async function bulkInsert<T extends PgTable, K extends keyof T['$inferSelect'] & string = never>(
  tx: Tx,
  table: T,
  rows: readonly T['$inferInsert'][],
  opts: { returning?: readonly K[]; chunkSize?: number } = {},
): Promise<Pick<T['$inferSelect'], K>[]> {
  const columns = getTableColumns(table) as Record<string, Column>;
  const keys = Object.keys(columns).filter((k) => rows.some((r) => (r as Record<string, unknown>)[k] !== undefined));
  const columnName = (k: string) => {
    const c = columns[k];
    if (!c) throw new Error(`bulkInsert: unknown column ${k}`);
    return `"${casing.getColumnCasing(c)}"`;
  };
  const columnList = sql.raw(keys.map(columnName).join(', '));
  const returning = opts.returning ?? [];
  const returningList = sql.raw(returning.map((k) => `${columnName(k)} as "${k}"`).join(', '));
  const chunkSize = opts.chunkSize ?? 5000;

  const out: Pick<T['$inferSelect'], K>[] = [];
  for (let start = 0; start < rows.length; start += chunkSize) {
    const chunk = rows.slice(start, start + chunkSize) as Record<string, unknown>[];
    const arrays = keys.map((k) => {
      const c = columns[k] as Column;
      const values = chunk.map((r) => {
        const v = r[k];
        return v === undefined || v === null ? null : c.mapToDriverValue(v);
      });
      return sql`${sql.param(values)}::${sql.raw(c.getSQLType())}[]`;
    });
    const insert = sql`insert into ${table} (${columnList}) select * from unnest(${sql.join(arrays, sql`, `)})`;
    const result = await tx.execute(returning.length > 0 ? sql`${insert} returning ${returningList}` : insert);
    if (returning.length > 0) out.push(...(result.rows as Pick<T['$inferSelect'], K>[]));
  }
  return out;
}
