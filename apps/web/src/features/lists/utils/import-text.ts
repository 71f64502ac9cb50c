/** What an import's summary and the list's imports table say about donors with no number to call. */
export function uncallableText(n: number): string {
  return n === 1
    ? '1 donor has no callable number and will not be called: see the report.'
    : `${n.toLocaleString()} donors have no callable number and will not be called: see the report.`;
}
