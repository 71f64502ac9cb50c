import { readFileSync } from 'node:fs';
import type { DatabaseRoutines } from '../../db/routines';

/**
 * The dialer's views and PL/pgSQL functions, written in the `.sql` files of ./sql and installed
 * as they are (db/routines.ts, handed them by services.ts: after the migrations, under the same start-up lock, whenever their
 * text changed), in this order:
 *   calling-window.sql  the calling-hours rule (engage_may_call_at and friends)
 *   dialer-views.sql    the donor card and the call as the screens show them
 *   dialer-rules.sql    small named rules: campaign workable, shift transition, the claim, what
 *                       an end reason does to the donor, refusals, ...
 *   dialer-use-cases.sql next donor, Start Call, Skip, End Call, a correction, and the system's or
 *                       a manager's end of an agent's call or shift
 * The files are read when the server starts (it runs its TypeScript sources through tsx, so they
 * sit next to this file wherever the sources are).
 */
export const DIALER_ROUTINE_FILES = [
  'calling-window.sql',
  'dialer-views.sql',
  'dialer-rules.sql',
  'dialer-use-cases.sql',
] as const;

export function readRoutineFile(name: string): string {
  return readFileSync(new URL(`./sql/${name}`, import.meta.url), 'utf8');
}

export const DIALER_ROUTINES: DatabaseRoutines = {
  sql: DIALER_ROUTINE_FILES.map((name) => `-- ${name}\n${readRoutineFile(name)}`).join('\n'),
  markerFunction: 'dialer_next_donor(int, timestamptz, timestamptz)',
};
