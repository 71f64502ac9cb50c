import type { Role } from '@engage/contracts';
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { calls, campaignLists, campaignTeams, listMembers, lists, teamMembers } from '../../db/schema';
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

const rtm = alias(teamMembers, 'rtm');
const rl = alias(lists, 'rl');
const rcl = alias(campaignLists, 'rcl');
const rct = alias(campaignTeams, 'rct');
const rlm = alias(listMembers, 'rlm');
const rc = alias(calls, 'rc');

/** SQL: the teams the user leads. `u` is an int SQL expression. */
function ledTeams(u: SQL): SQL {
  return sql`SELECT ${rtm.teamId} FROM ${teamMembers} ${rtm} WHERE ${rtm.userId} = ${u} AND ${rtm.isLeader}`;
}

/** SQL: the lists the user works with: made by them, or feeding a campaign of a team they lead. */
function workLists(u: SQL): SQL {
  return sql`SELECT ${rl.id} FROM ${lists} ${rl} WHERE ${rl.createdBy} = ${u}
          UNION ALL
          SELECT ${rcl.listId} FROM ${campaignLists} ${rcl} JOIN ${campaignTeams} ${rct} ON ${rct.campaignId} = ${rcl.campaignId}
           WHERE ${rct.teamId} IN (${ledTeams(u)})`;
}

/**
 * A SQL condition: whether the work of the user `actor` reaches the donor whose id is the SQL
 * expression or column `donorId` (e.g. `donors.id`).
 *
 * For an administrator it is always true. For a manager it has two equivalent forms:
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
export function donorReach(actor: DonorReacher, donorId: SQLWrapper, opts: { form?: 'probe' | 'set' } = {}): SQL {
  const u = sql`${actor.id}::int`;
  if (hasRole(actor, 'admin')) return sql`(${u} IS NOT NULL)`;
  const workListIds = sql`ARRAY(${workLists(u)})`;
  const teamIds = sql`ARRAY(${ledTeams(u)})`;
  if (opts.form === 'set') {
    return sql`(${donorId} IN (SELECT ${rlm.donorId} FROM ${listMembers} ${rlm} WHERE ${rlm.listId} = ANY (${workListIds})
                            UNION
                            SELECT ${rc.donorId} FROM ${calls} ${rc} WHERE ${rc.teamId} = ANY (${teamIds})))`;
  }
  return sql`(EXISTS (SELECT 1 FROM ${listMembers} ${rlm} WHERE ${rlm.donorId} = ${donorId} AND ${rlm.listId} = ANY (${workListIds}) OFFSET 0)
           OR EXISTS (SELECT 1 FROM ${calls} ${rc} WHERE ${rc.donorId} = ${donorId} AND ${rc.teamId} = ANY (${teamIds}) OFFSET 0))`;
}

/** What a manager reads when a donor is out of their reach: the same whether it exists or not. */
export const OUT_OF_REACH_MESSAGE =
  "No such donor on your lists or your teams' campaigns. Check the reference, or ask an administrator or the donor's team manager.";

/** The import error line of a row whose donor the importer may not change. */
export const IMPORT_OUT_OF_REACH_MESSAGE =
  "This donor is not on your lists or your teams' campaigns, so the import did not change the donor or add it to this list. Ask an administrator or the donor's team manager to import this row.";
