/** What an import's summary and the list's imports table say about donors with no number to call. */
export function uncallableText(n: number): string {
  return n === 1
    ? '1 donor has no callable number and will not be called: see the report.'
    : `${n.toLocaleString()} donors have no callable number and will not be called: see the report.`;
}

/** What the list's page says about its donors with no number to call. */
export function listUncallableText(n: number): string {
  return n === 1
    ? '1 donor on this list has no phone number and will not be called. Add a phone on their page, or import them again with one.'
    : `${n.toLocaleString()} donors on this list have no phone number and will not be called. Add a phone on their pages, or import them again with one.`;
}
