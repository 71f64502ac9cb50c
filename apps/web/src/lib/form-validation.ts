import { schemaResolver } from '@mantine/form';
import type { FormErrors } from '@mantine/form';

type Schema = Parameters<typeof schemaResolver>[0];

/**
 * A Mantine form's `validate`: the contracts' schema of the request checks the values (each
 * issue's message shown under the field its path names, e.g. `name` or `countries.0.country`),
 * and `extra` adds the few checks a request schema cannot say, such as a form-only field ("type the
 * password again") or a rule the server decides from the stored record. Every call site says why.
 * A field the schema already refused keeps the schema's message.
 */
export function validateWithSchema<V>(
  schema: Schema,
  extra?: (values: V) => Record<string, string | null | undefined>,
): (values: V) => FormErrors {
  const bySchema = schemaResolver(schema, { sync: true });
  return (values) => {
    const errors: FormErrors = {};
    for (const [path, message] of Object.entries(extra?.(values) ?? {})) if (message) errors[path] = message;
    return { ...errors, ...bySchema(values) };
  };
}
