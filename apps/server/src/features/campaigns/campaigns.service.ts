import {
  campaignNeedsLists,
  campaignTransitions,
  type Campaign,
  type CampaignProgress,
  type CampaignStatus,
  type CampaignSummary,
  type ErrorIssue,
  type Role,
  type OrganisationSettings,
  type UpdateCampaignBody,
  type WeekdayHours,
  type createCampaignBodySchema,
  WEEKDAYS,
} from '@engage/contracts';
import type { z } from 'zod';
import type { Db, DbOrTx } from '../../db/client';
import { audit } from '../../lib/audit';
import { AppError, isUniqueViolation } from '../../lib/errors';
import { managedTeamIds } from '../../lib/scope';
import type { DialerService } from '../dialer/dialer.service';
import type { OrganisationService } from '../organisation/organisation.service';
import * as repo from './campaigns.repository';
import { withTransaction } from '../../lib/tx';

export interface Actor {
  id: number;
  role: Role;
}

export type CampaignsService = ReturnType<typeof createCampaignsService>;
type CreateInput = z.output<typeof createCampaignBodySchema>;

function nameTaken(name: string): AppError {
  return new AppError('conflict', `A campaign named "${name}" already exists. Choose another name.`, {
    issues: [{ path: 'body.name', message: 'This name is already used' }],
  });
}

/** "HH:MM:SS" from PostgreSQL (24:00:00 included) as "HH:MM". */
const hhmm = (t: string) => t.slice(0, 5);

const statusWords: Record<CampaignStatus, string> = {
  draft: 'a draft',
  active: 'active',
  paused: 'paused',
  finished: 'finished',
};

function describeAllowed(from: CampaignStatus): string {
  const allowed = campaignTransitions[from];
  if (allowed.length === 0) return 'A finished campaign stays finished: create a new campaign instead.';
  return `From ${from} it can become ${allowed.join(' or ')}.`;
}

/** The same hours on every weekday. */
const everyDay = (start: string, end: string): WeekdayHours => WEEKDAYS.map(() => ({ start, end }));

/** The span of the weekdays' hours (earliest start, latest end), kept for display; null when no day calls. */
function span(days: WeekdayHours): { start: string; end: string } | null {
  const open = days.filter((d) => d !== null);
  if (open.length === 0) return null;
  return {
    start: open.map((d) => d.start).reduce((a, b) => (a < b ? a : b)),
    end: open.map((d) => d.end).reduce((a, b) => (a > b ? a : b)),
  };
}

/** The rules between fields: dates in order, calling hours that are a real window. */
function checkFields(v: repo.CampaignValues): void {
  const issues: ErrorIssue[] = [];
  if (v.startsOn !== null && v.endsOn !== null && v.startsOn > v.endsOn) {
    issues.push({ path: 'body.endsOn', message: 'The end date is before the start date' });
  }
  if (v.callingHoursStart >= v.callingHoursEnd) {
    issues.push({
      path: 'body.callingHoursEnd',
      message:
        v.callingHoursStart === v.callingHoursEnd
          ? 'Calling hours end when they start: use 00:00 to 24:00 for the whole day'
          : 'Calling hours end after they start, on the same day (24:00 for midnight)',
    });
  }
  if (issues.length) {
    throw new AppError('validation_failed', issues.map((i) => i.message).join('. ') + '. Correct it and save again.', {
      issues,
    });
  }
}

/**
 * Hours beyond the organisation's legal calling window are kept as entered but clipped: the
 * dialer calls a donor only within both (engage_may_call_at), and the campaign says so here, day
 * by day, naming the window. Kept, not refused, so a campaign follows the window when an
 * administrator changes it, and "00:00-24:00" reads "as late as the law allows".
 */
export function legalWarnings(
  days: WeekdayHours,
  legal: Pick<OrganisationSettings, 'legalWindow' | 'countryWindows'>,
): string[] {
  const w = legal.legalWindow;
  const closed = new Set(w.closedWeekdays);
  const countries = legal.countryWindows.length
    ? ` (${legal.countryWindows.map((c) => `${c.country} ${c.start}-${c.end}`).join(', ')} for their donors)`
    : '';
  const out: string[] = [];
  days.forEach((d, i) => {
    if (!d) return;
    const day = WEEKDAYS[i]!;
    if (closed.has(i + 1)) {
      out.push(`${day}: the legal calling window closes on ${day}s, so nobody is called that day.`);
    } else if (d.start < w.start || d.end > w.end) {
      const start = d.start < w.start ? w.start : d.start;
      const end = d.end > w.end ? w.end : d.end;
      out.push(
        start < end
          ? `${day} ${d.start}-${d.end} goes beyond the legal calling window ${w.start}-${w.end}${countries}: donors are called ${start}-${end} their time.`
          : `${day} ${d.start}-${d.end} is outside the legal calling window ${w.start}-${w.end}${countries}: nobody is called that day.`,
      );
    }
  });
  return out;
}

/**
 * The campaign's hours per weekday from a request: `weekdayHours` when sent, else the same
 * `callingHoursStart`-`callingHoursEnd` every day when those are sent, else what it had. The
 * summary columns follow.
 */
function hoursFrom(
  input: { weekdayHours?: WeekdayHours; callingHoursStart?: string; callingHoursEnd?: string },
  current: { weekdayHours: WeekdayHours; callingHoursStart: string; callingHoursEnd: string },
): Pick<repo.CampaignValues, 'weekdayHours' | 'callingHoursStart' | 'callingHoursEnd'> {
  if (input.weekdayHours) {
    const s = span(input.weekdayHours);
    return {
      weekdayHours: input.weekdayHours,
      callingHoursStart: s?.start ?? current.callingHoursStart,
      callingHoursEnd: s?.end ?? current.callingHoursEnd,
    };
  }
  if (input.callingHoursStart !== undefined || input.callingHoursEnd !== undefined) {
    const start = input.callingHoursStart ?? current.callingHoursStart;
    const end = input.callingHoursEnd ?? current.callingHoursEnd;
    return { weekdayHours: everyDay(start, end), callingHoursStart: start, callingHoursEnd: end };
  }
  return current;
}

function uniqueIds(ids: readonly number[]): number[] {
  return [...new Set(ids)];
}

export function createCampaignsService(deps: {
  db: Db;
  dialer: DialerService;
  organisation: OrganisationService;
  now: () => Date;
}) {
  const { db, dialer, organisation, now } = deps;

  function notFound(id: number, scope: number[] | null): AppError {
    return new AppError(
      'not_found',
      scope === null
        ? `There is no campaign ${id}. Reload the Campaigns page.`
        : `There is no campaign ${id} among the campaigns of the teams you lead. Choose one from the Campaigns page.`,
    );
  }

  /**
   * The campaign when the actor may manage it: an admin any, a manager those worked by a team
   * they lead. Any other answers not_found, as if it did not exist.
   */
  async function requireCampaign(tx: DbOrTx, actor: Actor, id: number, lock: boolean) {
    const scope = await managedTeamIds(tx, actor);
    const row = lock ? await repo.lockCampaign(tx, id) : await repo.findCampaign(tx, id);
    if (!row) throw notFound(id, scope);
    const teams = await repo.teamsOfCampaigns(tx, [id]);
    if (scope !== null && !teams.some((t) => scope.includes(t.id))) throw notFound(id, scope);
    return { row, scope, teamIds: teams.map((t) => t.id) };
  }

  async function build(tx: DbOrTx, id: number, scope: number[] | null): Promise<Campaign> {
    const row = await repo.findCampaign(tx, id);
    if (!row) throw notFound(id, scope);
    const teams = await repo.teamsOfCampaigns(tx, [id]);
    const lists = await repo.listsOfCampaign(tx, id);
    return {
      id: row.id,
      name: row.name,
      purpose: row.purpose,
      status: row.status,
      startsOn: row.startsOn,
      endsOn: row.endsOn,
      callingHoursStart: hhmm(row.callingHoursStart),
      callingHoursEnd: hhmm(row.callingHoursEnd),
      weekdayHours: row.weekdayHours,
      closedDates: row.closedDates,
      legalWarnings: legalWarnings(row.weekdayHours, await organisation.get()),
      maxAttempts: row.maxAttempts,
      holdSeconds: row.holdSeconds,
      appointmentGraceMinutes: row.appointmentGraceMinutes,
      script: row.script,
      teams: teams.map((t) => ({ id: t.id, name: t.name, managed: scope === null || scope.includes(t.id) })),
      lists,
      allowedTransitions: [...campaignTransitions[row.status]],
      agentsCalling: await repo.countAgentsCalling(tx, id),
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  }

  /** What the audit log keeps of a campaign. */
  function snapshot(c: Campaign) {
    const {
      teams,
      lists: _lists,
      allowedTransitions: _allowed,
      agentsCalling: _agents,
      legalWarnings: _warnings,
      createdAt: _c,
      updatedAt: _u,
      ...fields
    } = c;
    return { ...fields, teamIds: teams.map((t) => t.id), teamNames: teams.map((t) => t.name) };
  }

  /**
   * Checks a new set of teams for a campaign: the teams exist; a manager attaches and detaches
   * only teams they lead and keeps at least one of theirs; an active or paused campaign keeps a
   * team.
   */
  async function checkTeams(
    tx: DbOrTx,
    scope: number[] | null,
    current: number[],
    wanted: number[],
    status: CampaignStatus,
  ): Promise<void> {
    const found = await repo.existingTeams(tx, uniqueIds([...wanted, ...current]));
    const missing = wanted.filter((id) => !found.some((t) => t.id === id));
    if (missing.length) {
      throw new AppError('not_found', `There is no team with id ${missing.join(', ')}. Choose teams from the list.`, {
        issues: [{ path: 'body.teamIds', message: 'Unknown team' }],
      });
    }
    if (scope !== null) {
      const changed = [...wanted.filter((t) => !current.includes(t)), ...current.filter((t) => !wanted.includes(t))];
      const notLed = found.filter((t) => changed.includes(t.id) && !scope.includes(t.id));
      if (notLed.length) {
        throw new AppError(
          'forbidden',
          `You can only attach or detach teams you lead; ${notLed.map((t) => t.name).join(', ')} ${notLed.length === 1 ? 'is' : 'are'} not one of them. Ask its leader or an administrator.`,
          { issues: [{ path: 'body.teamIds', message: 'Only teams you lead' }] },
        );
      }
      if (!wanted.some((t) => scope.includes(t))) {
        throw new AppError(
          'validation_failed',
          'Attach at least one of the teams you lead: the campaign is managed through its teams.',
          { issues: [{ path: 'body.teamIds', message: 'Choose at least one of your teams' }] },
        );
      }
    }
    if (wanted.length === 0 && (status === 'active' || status === 'paused')) {
      throw new AppError(
        'validation_failed',
        `An ${status} campaign needs at least one team to work it. Choose a team, or finish the campaign.`,
        { issues: [{ path: 'body.teamIds', message: 'Choose at least one team' }] },
      );
    }
  }

  async function list(actor: Actor, status?: CampaignStatus): Promise<CampaignSummary[]> {
    const scope = await managedTeamIds(db, actor);
    const rows = await repo.listCampaigns(db, scope, status);
    const teams = await repo.teamsOfCampaigns(
      db,
      rows.map((r) => r.id),
    );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      purpose: r.purpose,
      status: r.status,
      startsOn: r.startsOn,
      endsOn: r.endsOn,
      teams: teams.filter((t) => t.campaignId === r.id).map((t) => ({ id: t.id, name: t.name })),
      listCount: r.listCount,
      donorCount: r.donorCount,
      updatedAt: r.updatedAt.toISOString(),
    }));
  }

  /** Throws not_found unless the actor may read the campaign, as `get` would (the audit trail asks). */
  async function assertInScope(actor: Actor, id: number): Promise<void> {
    await requireCampaign(db, actor, id, false);
  }

  async function get(actor: Actor, id: number): Promise<Campaign> {
    const { scope } = await requireCampaign(db, actor, id, false);
    return build(db, id, scope);
  }

  async function create(actor: Actor, input: CreateInput): Promise<Campaign> {
    if (input.status !== undefined && input.status !== 'draft') {
      throw new AppError(
        'invalid_transition',
        'A new campaign starts as a draft. Save it, connect a list, then activate it.',
        { issues: [{ path: 'body.status', message: 'A new campaign is a draft' }] },
      );
    }
    const values: repo.CampaignValues = {
      name: input.name,
      purpose: input.purpose,
      status: 'draft',
      startsOn: input.startsOn ?? null,
      endsOn: input.endsOn ?? null,
      ...hoursFrom(input, {
        weekdayHours: everyDay(input.callingHoursStart, input.callingHoursEnd),
        callingHoursStart: input.callingHoursStart,
        callingHoursEnd: input.callingHoursEnd,
      }),
      closedDates: [...new Set(input.closedDates)].sort(),
      maxAttempts: input.maxAttempts,
      holdSeconds: input.holdSeconds,
      appointmentGraceMinutes: input.appointmentGraceMinutes,
      script: input.script,
    };
    checkFields(values);
    try {
      return await withTransaction(db, async (tx) => {
        const scope = await managedTeamIds(tx, actor);
        const teamIds = uniqueIds(input.teamIds);
        await checkTeams(tx, scope, [], teamIds, 'draft');
        if (await repo.findCampaignIdByName(tx, values.name)) throw nameTaken(values.name);
        const t = now();
        const id = await repo.insertCampaign(tx, values, t);
        await repo.setCampaignTeams(tx, id, teamIds);
        const built = await build(tx, id, scope);
        await audit(tx, {
          actorId: actor.id,
          entityType: 'campaign',
          entityId: id,
          action: 'create',
          after: snapshot(built),
          at: t,
        });
        return built;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw nameTaken(values.name);
      throw err;
    }
  }

  async function update(actor: Actor, id: number, input: UpdateCampaignBody): Promise<Campaign> {
    try {
      return await withTransaction(db, async (tx) => {
        const { row, scope, teamIds: currentTeams } = await requireCampaign(tx, actor, id, true);
        const before = await build(tx, id, scope);
        const next: repo.CampaignValues = {
          name: input.name ?? row.name,
          purpose: input.purpose ?? row.purpose,
          status: input.status ?? row.status,
          startsOn: input.startsOn !== undefined ? input.startsOn : row.startsOn,
          endsOn: input.endsOn !== undefined ? input.endsOn : row.endsOn,
          ...hoursFrom(input, {
            weekdayHours: row.weekdayHours,
            callingHoursStart: hhmm(row.callingHoursStart),
            callingHoursEnd: hhmm(row.callingHoursEnd),
          }),
          closedDates: input.closedDates ? [...new Set(input.closedDates)].sort() : row.closedDates,
          maxAttempts: input.maxAttempts ?? row.maxAttempts,
          holdSeconds: input.holdSeconds ?? row.holdSeconds,
          appointmentGraceMinutes: input.appointmentGraceMinutes ?? row.appointmentGraceMinutes,
          script: input.script ?? row.script,
        };
        checkFields(next);
        const teamIds = input.teamIds === undefined ? currentTeams : uniqueIds(input.teamIds);
        if (input.teamIds !== undefined) await checkTeams(tx, scope, currentTeams, teamIds, next.status);

        if (next.status !== row.status) {
          if (!campaignTransitions[row.status].includes(next.status)) {
            throw new AppError(
              'invalid_transition',
              `"${row.name}" is ${statusWords[row.status]} and cannot become ${next.status}. ${describeAllowed(row.status)}`,
              { issues: [{ path: 'body.status', message: `Not allowed from ${row.status}` }] },
            );
          }
          if (next.status === 'active') {
            if (teamIds.length === 0) {
              throw new AppError(
                'invalid_transition',
                `"${row.name}" has no team to work it. Attach a team, then activate it.`,
              );
            }
            if (campaignNeedsLists(next.purpose) && (await repo.countCampaignLists(tx, id)) === 0) {
              throw new AppError(
                'invalid_transition',
                `"${row.name}" has no donor list connected. Connect a list, then activate it.`,
              );
            }
          }
        }
        if (next.name !== row.name && (await repo.findCampaignIdByName(tx, next.name, id))) throw nameTaken(next.name);

        const t = now();
        await repo.updateCampaign(tx, id, next, t);
        if (input.teamIds !== undefined) await repo.setCampaignTeams(tx, id, teamIds);
        const after = await build(tx, id, scope);
        const b = snapshot(before);
        const a = snapshot(after);
        if (JSON.stringify(b) !== JSON.stringify(a)) {
          await audit(tx, {
            actorId: actor.id,
            entityType: 'campaign',
            entityId: id,
            action: next.status !== row.status ? `status_${next.status}` : 'update',
            before: b,
            after: a,
            at: t,
          });
        }
        return after;
      });
    } catch (err) {
      if (isUniqueViolation(err) && input.name !== undefined) throw nameTaken(input.name);
      throw err;
    }
  }

  /** Runs a change to the campaign's lists, then brings the dialer's queue in step (after commit). */
  async function changeLists(
    actor: Actor,
    id: number,
    fn: (tx: DbOrTx, row: repo.CampaignRow) => Promise<void>,
  ): Promise<Campaign> {
    const scope = await withTransaction(db, async (tx) => {
      const found = await requireCampaign(tx, actor, id, true);
      await fn(tx, found.row);
      await repo.updateCampaign(tx, id, {}, now());
      return found.scope;
    });
    await dialer.syncCampaignQueue(id);
    return build(db, id, scope);
  }

  function connectList(actor: Actor, id: number, input: { listId: number; priority: number }): Promise<Campaign> {
    return changeLists(actor, id, async (tx, row) => {
      const list = await repo.findList(tx, input.listId);
      if (!list) {
        throw new AppError('not_found', `There is no list ${input.listId}. Choose a list from the Lists page.`, {
          issues: [{ path: 'body.listId', message: 'Unknown list' }],
        });
      }
      const added = await repo.insertCampaignList(tx, { campaignId: id, listId: list.id, priority: input.priority });
      if (!added) {
        throw new AppError(
          'conflict',
          `"${list.name}" is already connected to "${row.name}". Change its priority instead.`,
        );
      }
      await audit(tx, {
        actorId: actor.id,
        entityType: 'campaign',
        entityId: id,
        action: 'connect_list',
        after: { listId: list.id, listName: list.name, priority: input.priority },
        at: now(),
      });
    });
  }

  async function requireConnected(tx: DbOrTx, row: repo.CampaignRow, listId: number) {
    const connected = await repo.findCampaignList(tx, row.id, listId);
    if (!connected) {
      throw new AppError('not_found', `List ${listId} is not connected to "${row.name}". Reload the campaign.`);
    }
    return connected;
  }

  function setListPriority(actor: Actor, id: number, listId: number, priority: number): Promise<Campaign> {
    return changeLists(actor, id, async (tx, row) => {
      const connected = await requireConnected(tx, row, listId);
      if (connected.priority === priority) return;
      await repo.setCampaignListPriority(tx, id, listId, priority);
      await audit(tx, {
        actorId: actor.id,
        entityType: 'campaign',
        entityId: id,
        action: 'set_list_priority',
        before: { listId, listName: connected.name, priority: connected.priority },
        after: { listId, listName: connected.name, priority },
        at: now(),
      });
    });
  }

  /** Disconnects a list: its donors never called leave the queue; those called keep their history. */
  function disconnectList(actor: Actor, id: number, listId: number): Promise<Campaign> {
    return changeLists(actor, id, async (tx, row) => {
      const connected = await requireConnected(tx, row, listId);
      if (row.status === 'active' && (await repo.countCampaignLists(tx, id)) <= 1) {
        throw new AppError(
          'conflict',
          `"${connected.name}" is the only list of "${row.name}", which is active: agents would have no donors. Connect another list first, or pause the campaign.`,
        );
      }
      await repo.deleteCampaignList(tx, id, listId);
      await audit(tx, {
        actorId: actor.id,
        entityType: 'campaign',
        entityId: id,
        action: 'disconnect_list',
        before: { listId, listName: connected.name, priority: connected.priority },
        at: now(),
      });
    });
  }

  /** The campaign's queue now: the same counts agents' Out of Data explanation uses. */
  async function progress(actor: Actor, id: number): Promise<CampaignProgress> {
    await requireCampaign(db, actor, id, false);
    const p = await dialer.campaignProgress(id);
    if (!p) throw notFound(id, null);
    return { ...p, at: now().toISOString() };
  }

  return {
    list,
    get,
    assertInScope,
    create,
    update,
    setTeams: (actor: Actor, id: number, teamIds: number[]) => update(actor, id, { teamIds }),
    connectList,
    setListPriority,
    disconnectList,
    progress,
  };
}
