/**
 * A donor's name as agents and managers see it: "first last", without the space when one part is
 * empty. (The SQL views that answer a name spell the same rule: trim(first_name || ' ' || last_name).)
 */
export function displayName(firstName: string, lastName: string): string {
  return `${firstName} ${lastName}`.trim();
}
