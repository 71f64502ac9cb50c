import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';

/**
 * A `time` column (calling hours, the legal window) as "HH:MM", the way the contracts carry it.
 * The end of the day is stored as 24:00, which `to_char` would print as 00:00: it stays "24:00".
 */
export function timeOfDay(column: SQLWrapper): SQL<string> {
  return sql<string>`CASE WHEN ${column} = '24:00' THEN '24:00' ELSE to_char(${column}, 'HH24:MI') END`;
}
