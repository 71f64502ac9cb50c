/** Choices for country and time zone fields, from the browser's own Intl data. */

const NOT_COUNTRIES = new Set('EU EZ UN ZZ QO XA XB UK FX SU YU DD ZR TP BU CS AN NT YD CP DG EA IC TA AC'.split(' '));

let countries: { value: string; label: string }[] | undefined;

/** Every ISO 3166-1 alpha-2 country, as "United Kingdom (GB)", sorted by name. */
export function countryOptions(): { value: string; label: string }[] {
  if (countries) return countries;
  const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const out: { value: string; label: string }[] = [];
  for (const a of letters) {
    for (const b of letters) {
      const code = a + b;
      const name = names.of(code);
      if (name && name !== code && !NOT_COUNTRIES.has(code)) out.push({ value: code, label: `${name} (${code})` });
    }
  }
  countries = out.sort((x, y) => x.label.localeCompare(y.label));
  return countries;
}

/** IANA time zones the browser knows, plus `current` when it is an alias the list lacks. */
export function timeZoneOptions(current?: string | null): string[] {
  const zones = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')];
  return current && !zones.includes(current) ? [current, ...zones] : zones;
}
