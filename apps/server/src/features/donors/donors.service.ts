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
import { toSnakeCase } from 'drizzle-orm/casing';
import type { Db, DbOrTx, Tx } from '../../db/client';
import { audit } from '../../lib/audit';
import { AppError } from '../../lib/errors';
import { hasRole } from '../../lib/guard';
import { idempotent } from '../../lib/idempotency';
import { withTransaction } from '../../lib/tx';
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
  zoneOfCountry,
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
    amountMinor: r.amountMinor,
    currency: r.currency,
    purpose: r.purpose,
    method: r.method,
    frequency: r.frequency,
    paymentReference: r.paymentReference,
    callId: r.callId,
    donatedAt: r.donatedAt.toISOString(),
  };
}

export function toDonorSummary(r: repo.DonorSummaryRow): DonorSummary {
  return {
    id: r.id,
    reference: r.reference,
    name: displayName(r.firstName, r.lastName),
    phone: r.phone,
    email: r.email,
    country: r.country,
    timeZone: r.timeZone,
    doNotCall: r.doNotCall,
    deceased: r.deceased,
    suppressed: r.suppressed,
  };
}

/**
 * The donors whose main or other phone is this E.164 number, organisation-wide (a caller is
 * matched whoever's campaigns they are on), as summaries, by name; at most `limit`.
 */
export async function donorsByPhone(db: DbOrTx, e164: string, limit: number): Promise<DonorSummary[]> {
  return (await repo.donorsByPhone(db, e164, limit)).map(toDonorSummary);
}

export function createDonorsService(deps: {
  db: Db;
  now?: () => Date;
  /** Told after a donor's flags, phones or time zone change, so the queue follows at once. */
  dialer?: Pick<DialerService, 'donorsChanged'>;
  /** The currencies the organisation takes and the grace for donations after End Call. */
  organisation: Pick<OrganisationService, 'settingsIn' | 'requireAcceptedCurrency'>;
  /** Which calls a manager's scope reaches. */
  calls: Pick<CallsService, 'inScope'>;
}) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());

  /**
   * The donor, when the actor's work reaches it: for a manager the rule of donor-reach.ts (an
   * administrator reaches every donor), for an agent the donors of their teams' campaigns and the
   * one on their open call. `forUpdate` locks the donor row for an edit.
   */
  async function requireReach(
    tx: Tx,
    actor: DonorActor,
    donorId: number,
    opts: { forUpdate?: boolean } = {},
  ): Promise<repo.DonorRow> {
    const donor = await repo.findDonor(tx, donorId, opts);
    const manager = hasRole(actor, 'manager');
    const allowed =
      donor !== null &&
      (hasRole(actor, 'admin') ||
        (manager ? await repo.reachesDonor(tx, actor, donorId) : await repo.agentReachesDonor(tx, actor.id, donorId)));
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
    await withTransaction(db, async (tx) => {
      await requireReach(tx, actor, donorId);
    });
  }

  async function getProfile(actor: DonorActor, donorId: number): Promise<DonorDetails> {
    return withTransaction(db, async (tx) => profileOf(tx, actor, await requireReach(tx, actor, donorId)));
  }

  async function profileOf(tx: Tx, actor: DonorActor, d: repo.DonorRow): Promise<DonorDetails> {
    const donorId = d.id;
    const [donations, sponsorships, payments, timeline, lists] = [
      await repo.donationsOf(tx, donorId, 100),
      await repo.sponsorshipsOf(tx, donorId),
      await repo.paymentsOf(tx, donorId, 50),
      await repo.timelineOf(tx, donorId, 50),
      // Lists are a manager's business: an agent sees none (they would name other campaigns' work).
      hasRole(actor, 'manager') ? await repo.listsOfDonor(tx, donorId) : [],
    ];
    return {
      id: d.id,
      reference: d.reference,
      firstName: d.firstName,
      lastName: d.lastName,
      name: displayName(d.firstName, d.lastName),
      phone: d.phone,
      altPhone: d.altPhone,
      email: d.email,
      address: [d.addressLine1, d.addressLine2, d.city, d.postcode].filter(Boolean).join(', '),
      addressLine1: d.addressLine1,
      addressLine2: d.addressLine2,
      city: d.city,
      postcode: d.postcode,
      suppressed: d.suppressed,
      lists,
      country: d.country,
      timeZone: d.timeZone,
      language: d.language,
      doNotCall: d.doNotCall,
      deceased: d.deceased,
      notes: d.notes,
      donations: donations.map(toDonation),
      sponsorships,
      payments,
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
    return withTransaction(db, async (tx) =>
      idempotent(
        tx,
        { userId: actor.id, operation: 'recordDonation', key: idempotencyKey, request: { donorId, body } },
        async () => {
          const donor = await requireReach(tx, actor, donorId);
          const settings = await deps.organisation.settingsIn(tx);
          deps.organisation.requireAcceptedCurrency(settings, body.currency);
          const call = await donationCall(tx, actor, donor.id, body.callId, settings.donationGraceMinutes);
          const row = await repo.insertDonation(tx, {
            donorId: donor.id,
            amountMinor: body.amount,
            currency: body.currency,
            purpose: body.purpose,
            method: body.method,
            frequency: body.frequency,
            paymentReference: body.paymentReference ?? null,
            callId: call.id,
            recordedBy: actor.id,
            donatedAt: now(),
          });
          return toDonation(row);
        },
      ),
    );
  }

  /** The call a donation goes on (see recordDonation), or the refusal that says why not. */
  async function donationCall(
    tx: Tx,
    actor: DonorActor,
    donorId: number,
    callId: number | undefined,
    graceMinutes: number,
  ): Promise<repo.DonationCallRow> {
    const afterEnd = graceMinutes === 0 ? null : `up to ${graceMinutes} minutes after it ends`;
    const call =
      callId === undefined ? await repo.latestCallOf(tx, actor.id, donorId) : await repo.findCall(tx, callId);
    if (call === null && callId === undefined) {
      throw new AppError(
        'no_call_with_donor',
        `You can record a donation only while you are on a call with this donor${afterEnd ? ` (or ${afterEnd})` : ''}. Start the call first.`,
      );
    }
    if (call === null || call.donorId !== donorId || (call.agentId !== actor.id && !hasRole(actor, 'manager'))) {
      throw new AppError(
        'validation_failed',
        'That call is not yours with this donor. Record the gift on the call you are on.',
        { issues: [{ path: 'body.callId', message: 'Not your call with this donor' }] },
      );
    }
    if (call.agentId !== actor.id && !(await deps.calls.inScope(actor, call.id, tx))) {
      throw new AppError(
        'call_outside_your_teams',
        'This call was made for a team you do not lead, so you cannot record a donation on it. Ask a leader of that team, or an administrator.',
        { issues: [{ path: 'body.callId', message: 'A call of a team you do not lead' }] },
      );
    }
    if (call.endedAt !== null && now().getTime() - call.endedAt.getTime() > graceMinutes * 60_000) {
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
      db,
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
  async function addSearchMatchesToList(tx: Tx, actor: DonorActor, q: string, listId: number): Promise<number> {
    return repo.addSearchMatchesToList(tx, actor, searchCriteria(q), listId, now());
  }

  /**
   * A manager edits a donor their work reaches (donor-reach.ts; an administrator any donor;
   * imports follow the same rule): each field is checked (phones read in the donor's country and stored
   * E.164, an IANA time zone, an ISO country, an email, a language tag), every problem is answered
   * next to its field, and the change is audited in the same transaction. The dialer hears of it
   * after the commit, so flags and time zones take effect in every queue at once.
   */
  async function updateDonor(actor: DonorActor, donorId: number, body: UpdateDonorBody): Promise<DonorDetails> {
    const result = await withTransaction(db, async (tx) => {
      const before = await requireReach(tx, actor, donorId, { forUpdate: true });
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
        await repo.updateDonor(tx, donorId, changed, t);
        // The audit record names the columns as the table does (first_name), as every record before it.
        const byColumn = (row: object) =>
          Object.fromEntries(Object.keys(changed).map((k) => [toSnakeCase(k), row[k as keyof typeof row]]));
        await audit(tx, {
          actorId: actor.id,
          entityType: 'donor',
          entityId: donorId,
          action: 'update',
          before: byColumn(before),
          after: byColumn(changed),
          at: t,
        });
      }
      const after = (await repo.findDonor(tx, donorId))!;
      return { profile: await profileOf(tx, actor, after), changed: Object.keys(changed).length > 0 };
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

  if (body.firstName !== undefined) changes.firstName = cleanText(body.firstName);
  if (body.lastName !== undefined) changes.lastName = cleanText(body.lastName);
  changes.addressLine1 = text(body.addressLine1);
  changes.addressLine2 = text(body.addressLine2);
  changes.city = text(body.city);
  changes.postcode = text(body.postcode);
  if (body.notes !== undefined) changes.notes = body.notes.trim();

  if (body.country !== undefined) {
    changes.country = body.country === null || body.country === '' ? null : take('country', parseCountry(body.country));
  }
  // Phone numbers without +country code are read in the donor's (new) country; GB otherwise.
  const country = (changes.country !== undefined ? changes.country : before.country) ?? 'GB';
  for (const field of ['phone', 'altPhone'] as const) {
    const v = body[field];
    if (v === undefined) continue;
    if (v === null || v.trim() === '') changes[field] = null;
    else changes[field] = take(field, parsePhone(v, country))?.e164;
  }
  if (body.email !== undefined) {
    changes.email = body.email === null || body.email === '' ? null : take('email', parseEmail(body.email));
  }
  if (body.timeZone !== undefined) changes.timeZone = take('timeZone', parseTimeZone(body.timeZone));
  if (body.language !== undefined) {
    changes.language =
      body.language === null || body.language === '' ? null : take('language', parseLanguage(body.language));
  }
  if (body.doNotCall !== undefined) changes.doNotCall = body.doNotCall;
  if (body.deceased !== undefined) changes.deceased = body.deceased;
  if (body.suppressed !== undefined) changes.suppressed = body.suppressed;
  return { changes, issues };
}

/** One donor as a summary, whoever's campaigns they are on; null when there is no such donor. */
export async function donorSummaryById(db: DbOrTx, id: number): Promise<DonorSummary | null> {
  const row = await repo.donorSummaryById(db, id);
  return row ? toDonorSummary(row) : null;
}

/**
 * Donors a search box's text finds (name, reference, phone or email, as the managers' donor
 * search reads it) among every donor: an inbound caller can be anyone. Empty text finds nobody.
 */
export async function searchDonorsAnywhere(db: DbOrTx, q: string, limit: number): Promise<DonorSummary[]> {
  const criteria = searchCriteria(q);
  if (criteria.all) return [];
  return (await repo.findDonorsAnywhere(db, criteria, limit)).map(toDonorSummary);
}

export interface NewDonorFromCall {
  firstName: string;
  lastName: string;
  /** In any format; without +country code it is read in `country`. */
  phone: string | null;
  email: string | null;
  /** Where the call came in (the line's number's country): national numbers are read in it. */
  country: string | null;
  reference: string;
}

/**
 * A donor made by the agent taking an inbound call from a new caller: the donor fields' own rules
 * (donor-fields.ts: phone stored E.164, email); the country and time zone follow the phone number.
 * Field errors answer validation_failed naming each field.
 */
export async function createDonorFromCall(tx: DbOrTx, v: NewDonorFromCall): Promise<DonorSummary> {
  const issues: ErrorIssue[] = [];
  const firstName = cleanText(v.firstName);
  const lastName = cleanText(v.lastName);
  if (firstName === '' && lastName === '') {
    issues.push({ path: 'body.lastName', message: "Enter the caller's name" });
  }
  let phone: string | null = null;
  let country: string | null = null;
  if (v.phone !== null && cleanText(v.phone) !== '') {
    const parsed = parsePhone(v.phone, v.country ?? '');
    if (parsed.ok) {
      phone = parsed.value.e164;
      country = parsed.value.country;
    } else issues.push({ path: 'body.phone', message: parsed.issue });
  }
  let email: string | null = null;
  if (v.email !== null && cleanText(v.email) !== '') {
    const parsed = parseEmail(v.email);
    if (parsed.ok) email = parsed.value;
    else issues.push({ path: 'body.email', message: parsed.issue });
  }
  if (issues.length > 0) {
    throw new AppError(
      'validation_failed',
      issues.length === 1
        ? `${issues[0]!.message}. Correct it and save again.`
        : 'Correct the fields marked and save again.',
      { issues },
    );
  }
  const row = await repo.insertDonor(tx, {
    reference: v.reference,
    firstName,
    lastName,
    phone,
    email,
    country,
    timeZone: zoneOfCountry(country) ?? 'UTC',
  });
  return toDonorSummary(row);
}
