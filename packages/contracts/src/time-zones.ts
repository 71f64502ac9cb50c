/**
 * Time zones are IANA names ("Europe/London"), checked against the platform's Intl data, which is
 * what the server, PostgreSQL's zone names and the browser share. Offsets ("+03:00", "UTC+3") and
 * abbreviations ("BST") are not time zones here: they do not follow daylight saving.
 */

const IANA_SHAPE = /^(UTC|Etc\/[A-Za-z0-9+-]+|[A-Za-z]+(\/[A-Za-z0-9_+-]+)+)$/;
let zonesByLower: Map<string, string> | undefined;

/**
 * The IANA zone `raw` names, spelt as Intl spells it ("europe/london" → "Europe/London"), or null
 * when it is not one. A valid alias Intl canonicalises differently (Asia/Calcutta, Asia/Kolkata)
 * is kept as written.
 */
export function canonicalTimeZone(raw: string): string | null {
  const text = raw.trim();
  if (!IANA_SHAPE.test(text)) return null;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en', { timeZone: text }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
  zonesByLower ??= new Map(Intl.supportedValuesOf('timeZone').map((z) => [z.toLowerCase(), z]));
  const exact = zonesByLower.get(text.toLowerCase());
  if (exact) return exact;
  if (resolved.toLowerCase() === text.toLowerCase()) return resolved;
  return /^[A-Z]/.test(text) ? text : resolved;
}

/** Whether `name` is an IANA time zone (any case). */
export function isTimeZone(name: string): boolean {
  return canonicalTimeZone(name) !== null;
}
