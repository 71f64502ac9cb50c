import { asc, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { breakReasons, endReasons, jobRoles, skipReasons } from '../../db/schema';

/** The reasons and job roles still offered (retired ones stay on old records only). */
export function activeJobRoles(db: DbOrTx) {
  return db
    .select({ id: jobRoles.id, name: jobRoles.name, outbound: jobRoles.outbound, inbound: jobRoles.inbound })
    .from(jobRoles)
    .where(isNull(jobRoles.retiredAt))
    .orderBy(asc(jobRoles.position), asc(jobRoles.id));
}

export function activeSkipReasons(db: DbOrTx) {
  return db
    .select({ id: skipReasons.id, name: skipReasons.name, outcome: skipReasons.outcome })
    .from(skipReasons)
    .where(isNull(skipReasons.retiredAt))
    .orderBy(asc(skipReasons.position), asc(skipReasons.id));
}

export function activeEndReasons(db: DbOrTx) {
  return db
    .select({
      id: endReasons.id,
      name: endReasons.name,
      outcome: endReasons.outcome,
      retryMinutes: endReasons.retryMinutes,
      countsAsContact: endReasons.countsAsContact,
      countsAsSuccess: endReasons.countsAsSuccess,
    })
    .from(endReasons)
    .where(isNull(endReasons.retiredAt))
    .orderBy(asc(endReasons.position), asc(endReasons.id));
}

export function activeBreakReasons(db: DbOrTx) {
  return db
    .select({ id: breakReasons.id, name: breakReasons.name })
    .from(breakReasons)
    .where(isNull(breakReasons.retiredAt))
    .orderBy(asc(breakReasons.position), asc(breakReasons.id));
}
