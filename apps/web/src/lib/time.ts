/** Time helpers. Instants are ISO strings from the server; zones are IANA names. */

/** The agent's own time zone, as the browser knows it. */
export function agentTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

function isSameDayIn(a: Date, b: Date, timeZone: string): boolean {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return day.format(a) === day.format(b);
}

/** "14:05" in the given zone. */
export function formatClock(at: Date | string, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit' }).format(new Date(at));
}

/** "14:05" when the instant is today in that zone, otherwise "Tue 14 Jan, 14:05" (with the year when not this year). */
export function formatWhen(at: Date | string, timeZone?: string, now: Date = new Date()): string {
  const date = new Date(at);
  const zone = timeZone ?? agentTimeZone();
  if (isSameDayIn(date, now, zone)) return formatClock(date, zone);
  const sameYear =
    new Intl.DateTimeFormat('en-GB', { timeZone: zone, year: 'numeric' }).format(date) ===
    new Intl.DateTimeFormat('en-GB', { timeZone: zone, year: 'numeric' }).format(now);
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: sameYear ? undefined : 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(date);
}

/** "Tue 14 Jan 2026, 14:05": always with the date, for lists. */
export function formatDateTime(at: Date | string, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(at));
}

/** "14 Jan 2026" for a plain date ("2026-01-14") or an instant. */
export function formatDate(at: string): string {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(at) ? new Date(`${at}T12:00:00Z`) : new Date(at);
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
    date,
  );
}

/** Seconds as "4:05" or "1:02:03". */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/** Seconds from `since` to `now`, never negative. */
export function secondsSince(since: string, now: number): number {
  return Math.max(0, Math.floor((now - new Date(since).getTime()) / 1000));
}

/** "Europe/London" → "London" for tight spots; the full name elsewhere. */
export function shortZone(timeZone: string): string {
  const last = timeZone.split('/').pop() ?? timeZone;
  return last.replace(/_/g, ' ');
}
