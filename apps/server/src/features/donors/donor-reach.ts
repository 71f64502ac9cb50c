import type { Role } from '@engage/contracts';
import { hasRole } from '../../lib/guard';

/**
 * Which donors a manager's work reaches: the one home of the rule (PRODUCT.md: "Donors belong to
 * the organisation: a manager changes a donor (by edit or import) only where their work reaches
 * it, and every change is audited").
 *
 * A manager's work reaches a donor who is on a list the manager made, or on a list connected to a
 * campaign of a team they lead, or who was called by a team they lead. An administrator reaches
 * every donor. Everything a manager does with donors goes through it: the donor search, a list made
 * from a search, a list's members and its CSV export, the donor's profile and history, editing the
 * donor, recording a gift, and the rows of a CSV import that would change an existing donor.
 * (An agent's rule is narrower: the donors of their teams' campaign queues, or the donor on their
 * open call.)
 */
export interface DonorReacher {
  id: number;
  role: Role;
}

/** SQL: the teams the user leads. `u` is an int SQL expression, e.g. `$3::int`. */
function ledTeamsSql(u: string): string {
  return `SELECT rtm.team_id FROM team_members rtm WHERE rtm.user_id = ${u} AND rtm.is_leader`;
}

/** SQL: the lists the user works with: made by them, or feeding a campaign of a team they lead. */
function workListsSql(u: string): string {
  return `SELECT rl.id FROM lists rl WHERE rl.created_by = ${u}
          UNION ALL
          SELECT rcl.list_id FROM campaign_lists rcl JOIN campaign_teams rct ON rct.campaign_id = rcl.campaign_id
           WHERE rct.team_id IN (${ledTeamsSql(u)})`;
}

/**
 * A SQL condition: whether the work of the user whose id is the query parameter `userParam`
 * (e.g. `'$3'`) reaches the donor whose id is the SQL expression `donorId` (e.g. `'d.id'`).
 *
 * For an administrator it is always true (the parameter is still referenced, so the caller's
 * parameters stay the same for every role). For a manager it has two equivalent forms:
 *
 * - `probe` (the default) looks each donor up by itself, through the indexes on
 *   list_members(donor_id) and calls(donor_id): for a handful of donors (one donor, an import
 *   batch, a search by name, an export page) whatever the size of the manager's lists. `OFFSET 0`
 *   keeps the planner from turning the look-ups into a scan of everything the manager reaches.
 * - `set` gathers the donors of the manager's lists (primary key of list_members) and teams' calls
 *   once and hashes them: for a condition over every donor (an empty search).
 *
 * The manager's lists and teams are worked out once per statement (ARRAY(...) is an InitPlan).
 */
export function donorReachSql(
  actor: DonorReacher,
  donorId: string,
  userParam: string,
  opts: { form?: 'probe' | 'set' } = {},
): string {
  const u = `${userParam}::int`;
  if (hasRole(actor, 'admin')) return `(${u} IS NOT NULL)`;
  const lists = `ARRAY(${workListsSql(u)})`;
  const teams = `ARRAY(${ledTeamsSql(u)})`;
  if (opts.form === 'set') {
    return `(${donorId} IN (SELECT rlm.donor_id FROM list_members rlm WHERE rlm.list_id = ANY (${lists})
                            UNION
                            SELECT rc.donor_id FROM calls rc WHERE rc.team_id = ANY (${teams})))`;
  }
  return `(EXISTS (SELECT 1 FROM list_members rlm WHERE rlm.donor_id = ${donorId} AND rlm.list_id = ANY (${lists}) OFFSET 0)
           OR EXISTS (SELECT 1 FROM calls rc WHERE rc.donor_id = ${donorId} AND rc.team_id = ANY (${teams}) OFFSET 0))`;
}

/** What a manager reads when a donor is out of their reach: the same whether it exists or not. */
export const OUT_OF_REACH_MESSAGE =
  "No such donor on your lists or your teams' campaigns. Check the reference, or ask an administrator or the donor's team manager.";

/** The import error line of a row whose donor the importer may not change. */
export const IMPORT_OUT_OF_REACH_MESSAGE =
  "This donor is not on your lists or your teams' campaigns, so the import did not change the donor or add it to this list. Ask an administrator or the donor's team manager to import this row.";
