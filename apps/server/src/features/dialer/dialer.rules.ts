import { DateTime } from 'luxon';
import type { CampaignPurpose, OutOfDataReasons } from '@engage/contracts';
import { AppError } from '../../lib/errors';
import { campaignNeedsLists, formatMoney } from '@engage/contracts';

/** Pure rules of the dialer, kept apart so they are tested without a database. */

/** The donor's local wall-clock time "HH:MM" at an instant (IANA zone, daylight saving included). */
export function localTime(at: Date, timeZone: string): string {
  return DateTime.fromJSDate(at, { zone: timeZone }).toFormat('HH:mm');
}

/** Today's date (UTC) as YYYY-MM-DD: campaign dates are whole days in UTC. */
export function utcDate(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export interface WhyInput {
  purpose: CampaignPurpose;
  fp_amount: number | null;
  fp_currency: string | null;
  fp_due: string | null;
  fp_reason: string | null;
  sp_subject: string | null;
  sp_amount: number | null;
  sp_currency: string | null;
  sp_frequency: string | null;
  sp_status: string | null;
  dn_amount: number | null;
  dn_currency: string | null;
  dn_at: Date | null;
  dn_purpose: string | null;
  first_dn_amount: number | null;
  first_dn_currency: string | null;
  first_dn_at: Date | null;
  first_dn_purpose: string | null;
}

/** One line telling the agent why this donor is being called. */
export function whyCalled(r: WhyInput): string {
  switch (r.purpose) {
    case 'failed_payments':
      return r.fp_amount !== null && r.fp_currency
        ? `Failed payment: ${formatMoney(r.fp_amount, r.fp_currency)} due ${r.fp_due}${r.fp_reason ? ` (${r.fp_reason})` : ''}`
        : 'Failed payment follow-up (no unresolved failed payment on file now)';
    case 'sponsorship_follow_up':
      return r.sp_subject && r.sp_amount !== null && r.sp_currency
        ? `Sponsorship follow-up: ${r.sp_subject}, ${formatMoney(r.sp_amount, r.sp_currency)} ${(r.sp_frequency ?? '').replace('_', '-')}, ${r.sp_status}`
        : 'Sponsorship follow-up';
    case 'new_donors':
      return r.first_dn_amount !== null && r.first_dn_currency && r.first_dn_at
        ? `Welcome a new donor: first gift ${formatMoney(r.first_dn_amount, r.first_dn_currency)} on ${utcDate(r.first_dn_at)} (${r.first_dn_purpose})`
        : 'Welcome a new donor';
    case 'reactivation':
      return r.dn_amount !== null && r.dn_currency && r.dn_at
        ? `Lapsed donor: last gift ${formatMoney(r.dn_amount, r.dn_currency)} on ${utcDate(r.dn_at)} (${r.dn_purpose})`
        : 'Lapsed donor: no gift on file';
    case 'thank_you':
      return r.dn_amount !== null && r.dn_currency && r.dn_at
        ? `Say thank you for ${formatMoney(r.dn_amount, r.dn_currency)} on ${utcDate(r.dn_at)} (${r.dn_purpose})`
        : 'Say thank you';
    case 'inbound_line':
      return 'Inbound line';
  }
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * The Out of Data explanation in plain words. `opening` is when calling hours open next for the
 * donors outside them, in their local words ("09:00" later today, "Monday 09:00"). A campaign with
 * no donor at all is told by its kind: empty lists, or (an inbound line's) no call-back booked.
 */
export function outOfDataMessage(
  campaignName: string,
  r: OutOfDataReasons,
  nextAvailableAt: Date | null,
  opening: string | null,
  purpose: CampaignPurpose,
): string {
  if (r.total === 0) {
    return campaignNeedsLists(purpose)
      ? `"${campaignName}" has no donors yet: its lists are empty. Choose another campaign or ask your manager.`
      : `"${campaignName}" has no call-backs to make: its donors are the callers who asked an inbound line to call them back, and none has yet. Choose another campaign, or try again later.`;
  }
  const parts: string[] = [];
  if (r.finished + r.maxAttempts + r.doNotCall + r.noPhone === r.total) {
    parts.push(`Every donor in "${campaignName}" has been dealt with.`);
  } else {
    parts.push(`No donor in "${campaignName}" can be called right now.`);
  }
  const why: string[] = [];
  if (r.heldByOthers) why.push(`${plural(r.heldByOthers, 'donor is', 'donors are')} with other agents`);
  if (r.waitingRetry)
    why.push(`${plural(r.waitingRetry, 'donor is', 'donors are')} waiting for a retry or call-back time`);
  if (r.outsideCallingHours)
    why.push(
      `${plural(r.outsideCallingHours, 'donor is', 'donors are')} outside calling hours ${opening ? `until ${opening} their time` : 'with no calling day ahead'}`,
    );
  if (why.length) parts.push(`${why.join('; ')}.`);
  if (nextAvailableAt)
    parts.push(`More donors from ${nextAvailableAt.toISOString().slice(0, 16).replace('T', ' ')} UTC.`);
  else parts.push('No more donors will become callable: choose another campaign.');
  return parts.join(' ');
}

/**
 * What the calling-hours rule (engage_may_call_at in the database, read by `readCallbackWindow`)
 * says of a call-back time: allowed or not, the donor's local time, and that day's window (opens
 * null: nobody is called that day).
 */
export interface CallbackWindow {
  allowed: boolean;
  timeZone: string;
  localTime: string;
  localDay: string;
  opens: string | null;
  closes: string | null;
}

/**
 * A call-back time must be in the future, allowed by the calling-hours rule in the donor's time
 * zone, and no later than the campaign's last day; otherwise the refusal says what is allowed.
 */
export function checkCallbackTime(
  at: Date,
  now: Date,
  window: CallbackWindow,
  campaign: { name: string; endsOn: string | null },
  field = 'body.scheduledAt',
): void {
  if (at.getTime() <= now.getTime()) {
    throw new AppError('appointment_not_allowed', 'That call-back time has passed. Choose a time in the future.', {
      issues: [{ path: field, message: 'Choose a time in the future' }],
    });
  }
  if (!window.allowed) {
    const open = window.opens !== null && window.closes !== null && window.opens < window.closes;
    const when = `${window.localTime} for the donor (${window.timeZone}) on ${window.localDay}`;
    throw new AppError(
      'appointment_not_allowed',
      open
        ? `That is ${when}, outside the calling hours of "${campaign.name}". Choose a time between ${window.opens} and ${window.closes} in the donor's time.`
        : `That is ${when}: "${campaign.name}" calls nobody there that day. Choose another day.`,
      {
        issues: [
          {
            path: field,
            message: open
              ? `Between ${window.opens} and ${window.closes} donor time`
              : 'No calls that day: choose another day',
          },
        ],
      },
    );
  }
  if (campaign.endsOn !== null && utcDate(at) > campaign.endsOn) {
    throw new AppError(
      'appointment_not_allowed',
      `"${campaign.name}" ends on ${campaign.endsOn}: the dialer would never offer this call-back. Choose a day up to then.`,
      { issues: [{ path: field, message: `Up to ${campaign.endsOn}` }] },
    );
  }
}

/**
 * The instant of a wall-clock date and time ("YYYY-MM-DD", "HH:MM") in an IANA time zone. A time
 * the clocks skip (spring forward) is refused, saying from when the day goes on; a time that
 * happens twice (autumn) is the first of the two, and `note` says so.
 */
export function instantFromLocal(
  date: string,
  time: string,
  timeZone: string,
  field = 'body.scheduledAt',
): { at: Date; note: string | null } {
  const wall = DateTime.fromISO(`${date}T${time}`, { zone: timeZone });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}$/.test(time) || !wall.isValid) {
    throw new AppError('validation_failed', `"${date} ${time}" in ${timeZone} is not a valid date and time.`, {
      issues: [{ path: field, message: 'A date YYYY-MM-DD and a time HH:MM in a known time zone' }],
    });
  }
  const offsetAt = (ms: number) => DateTime.fromMillis(ms, { zone: timeZone }).offset;
  const day = 24 * 3_600_000;
  // The wall time read as UTC, then moved by each offset the zone has around that day.
  const asUtc = DateTime.fromISO(`${date}T${time}`, { zone: 'UTC' }).toMillis();
  const offsets = [...new Set([offsetAt(asUtc - day), offsetAt(asUtc + day)])];
  const candidates = offsets
    .map((o) => asUtc - o * 60_000)
    .filter((ms) => DateTime.fromMillis(ms, { zone: timeZone }).toFormat('yyyy-MM-dd HH:mm') === `${date} ${time}`)
    .sort((a, b) => a - b);
  if (candidates.length === 0) {
    // A gap: find the moment the clocks went forward (offsets change on whole minutes).
    let lo = asUtc - day;
    let hi = asUtc + day;
    const after = offsetAt(hi);
    while (hi - lo > 60_000) {
      const mid = Math.floor((lo + hi) / 2);
      if (offsetAt(mid) === after) hi = mid;
      else lo = mid;
    }
    const resumes = DateTime.fromMillis(hi, { zone: timeZone }).toFormat('HH:mm');
    throw new AppError(
      'validation_failed',
      `${time} does not exist on ${date} in ${timeZone}: the clocks go forward; choose ${resumes} or later`,
      { issues: [{ path: field, message: `${time} does not exist on ${date}; choose ${resumes} or later` }] },
    );
  }
  const first = candidates[0]!;
  if (candidates.length === 1) return { at: new Date(first), note: null };
  const offset = DateTime.fromMillis(first, { zone: timeZone });
  return {
    at: new Date(first),
    note: `${time} happens twice on ${date} in ${timeZone} (the clocks go back): this is the first one, ${offset.toFormat('HH:mm ZZZZ')} (UTC${offset.toFormat('ZZ')}).`,
  };
}
