/** A local calendar date as "YYYY-MM-DD". */
function isoDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function addDays(d: Date, days: number): Date {
  const out = new Date(d);
  out.setDate(out.getDate() + days);
  return out;
}

/** Today, Yesterday, This week (from Monday), Last 7 days, This month: ranges of the user's own dates. */
export function datePresets(now: Date = new Date()): { label: string; value: [string, string] }[] {
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const monday = addDays(today, -((today.getDay() + 6) % 7));
  const firstOfMonth = new Date(today.getFullYear(), today.getMonth(), 1);
  return [
    { label: 'Today', value: [isoDate(today), isoDate(today)] },
    { label: 'Yesterday', value: [isoDate(addDays(today, -1)), isoDate(addDays(today, -1))] },
    { label: 'This week', value: [isoDate(monday), isoDate(today)] },
    { label: 'Last 7 days', value: [isoDate(addDays(today, -6)), isoDate(today)] },
    { label: 'This month', value: [isoDate(firstOfMonth), isoDate(today)] },
  ];
}
