import type pg from 'pg';
import type {
  Donation,
  DonorDetails,
  DonorPage,
  DonorSearchQuery,
  DonorSummary,
  ErrorIssue,
  RecordDonationBody,
  Role,
  UpdateDonorBody,
} from '@engage/contracts';
import { displayName } from '@engage/contracts';
import { auditPg } from '../../lib/audit';
import { AppError } from '../../lib/errors';
import { hasRole } from '../../lib/guard';
import { idempotent } from '../../lib/idempotency';
import { withPgTransaction, type PgClient } from '../../lib/tx';
import type { CallsService } from '../calls/calls.service';
import type { DialerService } from '../dialer/dialer.service';
import type { OrganisationService } from '../organisation/organisation.service';
import {
  cleanText,
  parseCountry,
  parseEmail,
  parseLanguage,
  parsePhone,
  parseTimeZone,
  type Parsed,
} from './donor-fields';
import * as repo from './donors.repository';
import { timeWindow } from '../calls/paging';
import { searchCriteria } from './donors.search';
import { OUT_OF_REACH_MESSAGE } from './donor-reach';

export interface DonorActor {
  id: number;
  role: Role;
}

export type DonorsService = ReturnType<typeof createDonorsService>;

function toDonation(r: repo.DonationRow): Donation {
  return {
    id: r.id,
    amountMinor: r.amount_minor,
    currency: r.currency,
    purpose: r.purpose,
    method: r.method,
    frequency: r.frequency,
    paymentReference: r.payment_reference,
    callId: r.call_id,
    donatedAt: r.donated_at.toISOString(),
  };
}

export function toDonorSummary(r: repo.DonorSummaryRow): DonorSummary {
  return {
    id: r.id,
    reference: r.reference,
    name: displayName(r.first_name, r.last_name),
    phone: r.phone,
    email: r.email,
    country: r.country,
    timeZone: r.time_zone,
    doNotCall: r.do_not_call,
    deceased: r.deceased,
    suppressed: r.suppressed,
  };
}

export function createDonorsService(deps: {
  pool: pg.Pool;
  now?: () => Date;
  /** Told after a donor's flags, phones or time zone change, so the queue follows at once. */
  dialer?: Pick<DialerService, 'donorsChanged'>;
  /** The currencies the organisation takes and the grace for donations after End Call. */
  organisation: Pick<OrganisationService, 'settingsIn' | 'requireAcceptedCurrency'>;
  /** Which calls a manager's scope reaches. */
  calls: Pick<CallsService, 'inScope'>;
}) {
  const { pool } = deps;
  const now = deps.now ?? (() => new Date());

  /**
   * The donor, when the actor's work reaches it: for a manager the rule of donor-reach.ts (an
   * administrator reaches every donor), for an agent the donors of their teams' campaigns and the
   * one on their open call. `forUpdate` locks the donor row for an edit.
   */
  async function requireReach(
    c: PgClient,
    actor: DonorActor,
    donorId: number,
    opts: { forUpdate?: boolean } = {},
  ): Promise<repo.DonorRow> {
    const donor = await repo.findDonor(c, donorId, opts);
    const manager = hasRole(actor, 'manager');
    const allowed =
      donor !== null &&
      (hasRole(actor, 'admin') ||
        (manager ? await repo.reachesDonor(c, actor, donorId) : await repo.agentReachesDonor(c, actor.id, donorId)));
    // The same answer whether the donor does not exist or is out of reach: ids reveal nothing.
    if (!donor || !allowed) {
      throw new AppError(
        'not_found',
        manager ? OUT_OF_REACH_MESSAGE : 'No such donor in your campaigns. Check the reference, or ask your manager.',
      );
    }
    return donor;
  }

  /** For the audit trail: the donor exists and the reader's work reaches it; not_found otherwise. */
  async function assertInScope(actor: DonorActor, donorId: number): Promise<void> {
    await withPgTransaction(pool, async (c) => {
      await requireReach(c, actor, donorId);
    });
  }

  async function getProfile(actor: DonorActor, donorId: number): Promise<DonorDetails> {
    return withPgTransaction(pool, async (c) => profileOf(c, actor, await requireReach(c, actor, donorId)));
  }

  async function profileOf(c: PgClient, actor: DonorActor, d: repo.DonorRow): Promise<DonorDetails> {
    const donorId = d.id;
    const [donations, sponsorships, payments, timeline, lists] = [
      await repo.donationsOf(c, donorId, 100),
      await repo.sponsorshipsOf(c, donorId),
      await repo.paymentsOf(c, donorId, 50),
      await repo.timelineOf(c, donorId, 50),
      // Lists are a manager's business: an agent sees none (they would name other campaigns' work).
      hasRole(actor, 'manager') ? await repo.listsOfDonor(c, donorId) : [],
    ];
    return {
      id: d.id,
      reference: d.reference,
      firstName: d.first_name,
      lastName: d.last_name,
      name: displayName(d.first_name, d.last_name),
      phone: d.phone,
      altPhone: d.alt_phone,
      email: d.email,
      address: [d.address_line1, d.address_line2, d.city, d.postcode].filter(Boolean).join(', '),
      addressLine1: d.address_line1,
      addressLine2: d.address_line2,
      city: d.city,
      postcode: d.postcode,
      suppressed: d.suppressed,
      lists,
      country: d.country,
      timeZone: d.time_zone,
      language: d.language,
      doNotCall: d.do_not_call,
      deceased: d.deceased,
      notes: d.notes,
      donations: donations.map(toDonation),
      sponsorships: sponsorships.map((s) => ({
        id: s.id,
        subject: s.subject,
        amountMinor: s.amount_minor,
        currency: s.currency,
        frequency: s.frequency,
        status: s.status,
        startedOn: s.started_on,
      })),
      payments: payments.map((p) => ({
        id: p.id,
        amountMinor: p.amount_minor,
        currency: p.currency,
        method: p.method,
        status: p.status,
        failureReason: p.failure_reason,
        dueOn: p.due_on,
        resolution: p.resolution,
      })),
      timeline: timeline.map((t) => ({ kind: t.kind, at: t.at.toISOString(), title: t.title, detail: t.detail })),
    };
  }

  /**
   * Records a gift on the call it was taken on: the caller's own call with this donor, or, for a
   * manager, a call of the teams they lead (an administrator: any call). The call must be open, or
   * have ended no longer ago than the organisation's grace. The currency must be one the
   * organisation takes. With an Idempotency-Key, a retried request records nothing twice.
   */
  async function recordDonation(
    actor: DonorActor,
    donorId: number,
    body: RecordDonationBody,
    idempotencyKey: string | undefined,
  ): Promise<Donation> {
    return withPgTransaction(pool, async (c) =>
      idempotent(
        c,
        { userId: actor.id, operation: 'recordDonation', key: idempotencyKey, request: { donorId, body } },
        async () => {
          const donor = await requireReach(c, actor, donorId);
          const settings = await deps.organisation.settingsIn(c);
          deps.organisation.requireAcceptedCurrency(settings, body.currency);
          const call = await donationCall(c, actor, donor.id, body.callId, settings.donationGraceMinutes);
          const row = await repo.insertDonation(c, {
            donor_id: donor.id,
            amount_minor: body.amount,
            currency: body.currency,
            purpose: body.purpose,
            method: body.method,
            frequency: body.frequency,
            payment_reference: body.paymentReference ?? null,
            call_id: call.id,
            recorded_by: actor.id,
            donated_at: now(),
          });
          return toDonation(row);
        },
      ),
    );
  }

  /** The call a donation goes on (see recordDonation), or the refusal that says why not. */
  async function donationCall(
    c: PgClient,
    actor: DonorActor,
    donorId: number,
    callId: number | undefined,
    graceMinutes: number,
  ): Promise<repo.DonationCallRow> {
    const afterEnd = graceMinutes === 0 ? null : `up to ${graceMinutes} minutes after it ends`;
    const call = callId === undefined ? await repo.latestCallOf(c, actor.id, donorId) : await repo.findCall(c, callId);
    if (call === null && callId === undefined) {
      throw new AppError(
        'no_call_with_donor',
        `You can record a donation only while you are on a call with this donor${afterEnd ? ` (or ${afterEnd})` : ''}. Start the call first.`,
      );
    }
    if (call === null || call.donor_id !== donorId || (call.agent_id !== actor.id && !hasRole(actor, 'manager'))) {
      throw new AppError(
        'validation_failed',
        'That call is not yours with this donor. Record the gift on the call you are on.',
        { issues: [{ path: 'body.callId', message: 'Not your call with this donor' }] },
      );
    }
    if (call.agent_id !== actor.id && !(await deps.calls.inScope(actor, call.id))) {
      throw new AppError(
        'call_outside_your_teams',
        'This call was made for a team you do not lead, so you cannot record a donation on it. Ask a leader of that team, or an administrator.',
        { issues: [{ path: 'body.callId', message: 'A call of a team you do not lead' }] },
      );
    }
    if (call.ended_at !== null && now().getTime() - call.ended_at.getTime() > graceMinutes * 60_000) {
      throw new AppError(
        'donation_call_closed',
        `This call has ended: a donation is recorded on its call while it is open${afterEnd ? ` or ${afterEnd}` : ''}. If the donor gave on this call, tell a manager, who can note it on the call.`,
      );
    }
    return call;
  }

  /**
   * A manager's search by name, reference, phone or email (see donors.search.ts), with its filters,
   * among the donors their work reaches (an empty search: all of those, never the whole database).
   */
  async function search(actor: DonorActor, query: DonorSearchQuery): Promise<DonorPage> {
    const lastGift = timeWindow(
      { from: query.lastGiftFrom, to: query.lastGiftTo, timeZone: query.timeZone },
      { from: 'lastGiftFrom', to: 'lastGiftTo' },
    );
    const { rows, total } = await repo.searchDonors(
      pool,
      actor,
      searchCriteria(query.q),
      {
        country: query.country ?? null,
        doNotCall: query.doNotCall ?? null,
        deceased: query.deceased ?? null,
        listId: query.listId ?? null,
        lastGiftFrom: lastGift.from,
        lastGiftTo: lastGift.to,
      },
      query.pageSize,
      (query.page - 1) * query.pageSize,
    );
    return { donors: rows.map(toDonorSummary), total, page: query.page, pageSize: query.pageSize };
  }

  /**
   * Adds every donor a search finds (among those the actor's work reaches, as `search`) to a list,
   * inside the caller's transaction (the lists feature creates the list and fills it in one).
   * Answers how many donors were added.
   */
  async function addSearchMatchesToList(c: PgClient, actor: DonorActor, q: string, listId: number): Promise<number> {
    return repo.addSearchMatchesToList(c, actor, searchCriteria(q), listId, now());
  }

  /**
   * A manager edits a donor their work reaches (donor-reach.ts; an administrator any donor;
   * imports follow the same rule): each field is checked (phones read in the donor's country and stored
   * E.164, an IANA time zone, an ISO country, an email, a language tag), every problem is answered
   * next to its field, and the change is audited in the same transaction. The dialer hears of it
   * after the commit, so flags and time zones take effect in every queue at once.
   */
  async function updateDonor(actor: DonorActor, donorId: number, body: UpdateDonorBody): Promise<DonorDetails> {
    const result = await withPgTransaction(pool, async (c) => {
      const before = await requireReach(c, actor, donorId, { forUpdate: true });
      const { changes, issues } = readChanges(before, body);
      if (issues.length > 0) {
        throw new AppError(
          'validation_failed',
          issues.length === 1
            ? `${issues[0]!.message} Correct it and save again.`
            : 'Some fields are not valid. Correct them and save again.',
          { issues },
        );
      }
      const changed = Object.fromEntries(
        Object.entries(changes).filter(([k, v]) => v !== undefined && before[k as keyof repo.DonorRow] !== v),
      ) as repo.DonorChanges;
      if (Object.keys(changed).length > 0) {
        const t = now();
        await repo.updateDonor(c, donorId, changed, t);
        await auditPg(c, {
          actorId: actor.id,
          entityType: 'donor',
          entityId: donorId,
          action: 'update',
          before: Object.fromEntries(Object.keys(changed).map((k) => [k, before[k as keyof repo.DonorRow]])),
          after: changed,
          at: t,
        });
      }
      const after = (await repo.findDonor(c, donorId))!;
      return { profile: await profileOf(c, actor, after), changed: Object.keys(changed).length > 0 };
    });
    if (result.changed) await deps.dialer?.donorsChanged([donorId]);
    return result.profile;
  }

  return { getProfile, assertInScope, recordDonation, search, addSearchMatchesToList, updateDonor };
}

/** Checks an edit against the donor as it is; answers the new column values and the problems. */
function readChanges(
  before: repo.DonorRow,
  body: UpdateDonorBody,
): { changes: repo.DonorChanges; issues: ErrorIssue[] } {
  const issues: ErrorIssue[] = [];
  const changes: repo.DonorChanges = {};
  const take = <T>(field: keyof UpdateDonorBody, parsed: Parsed<T>): T | undefined => {
    if (parsed.ok) return parsed.value;
    issues.push({ path: `body.${field}`, message: parsed.issue });
    return undefined;
  };
  const text = (v: string | null | undefined): string | null | undefined =>
    v === undefined ? undefined : v === null ? null : cleanText(v) || null;

  if (body.firstName !== undefined) changes.first_name = cleanText(body.firstName);
  if (body.lastName !== undefined) changes.last_name = cleanText(body.lastName);
  changes.address_line1 = text(body.addressLine1);
  changes.address_line2 = text(body.addressLine2);
  changes.city = text(body.city);
  changes.postcode = text(body.postcode);
  if (body.notes !== undefined) changes.notes = body.notes.trim();

  if (body.country !== undefined) {
    changes.country = body.country === null || body.country === '' ? null : take('country', parseCountry(body.country));
  }
  // Phone numbers without +country code are read in the donor's (new) country; GB otherwise.
  const country = (changes.country !== undefined ? changes.country : before.country) ?? 'GB';
  for (const [field, column] of [
    ['phone', 'phone'],
    ['altPhone', 'alt_phone'],
  ] as const) {
    const v = body[field];
    if (v === undefined) continue;
    if (v === null || v.trim() === '') changes[column] = null;
    else changes[column] = take(field, parsePhone(v, country))?.e164;
  }
  if (body.email !== undefined) {
    changes.email = body.email === null || body.email === '' ? null : take('email', parseEmail(body.email));
  }
  if (body.timeZone !== undefined) changes.time_zone = take('timeZone', parseTimeZone(body.timeZone));
  if (body.language !== undefined) {
    changes.language =
      body.language === null || body.language === '' ? null : take('language', parseLanguage(body.language));
  }
  if (body.doNotCall !== undefined) changes.do_not_call = body.doNotCall;
  if (body.deceased !== undefined) changes.deceased = body.deceased;
  if (body.suppressed !== undefined) changes.suppressed = body.suppressed;
  return { changes, issues };
}
