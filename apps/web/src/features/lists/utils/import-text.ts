import { importMappingMatchIssue } from '@engage/contracts';
import type { ImportMapping } from '@engage/contracts';

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

/**
 * How the import will find donors already known, said in the mapping step: by reference, or,
 * without a reference column, by phone, then email (the server's matchDonors).
 */
export function matchingText(mapping: ImportMapping): string | null {
  if (mapping.reference) return null;
  const phone = Boolean(mapping.phone || mapping.altPhone);
  const email = Boolean(mapping.email);
  if (!phone && !email) return importMappingMatchIssue(mapping);
  const by = phone && email ? 'phone, then email' : phone ? 'phone' : 'email';
  return `No reference column: rows are matched to existing donors by ${by}, with the same name; new donors get a generated reference (IMP-<import>-<row>).`;
}
