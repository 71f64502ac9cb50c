import { schemaResolver } from '@mantine/form';
import type { FormErrors } from '@mantine/form';

type Schema = Parameters<typeof schemaResolver>[0];

export interface SchemaValidationOptions<V> {
  /** Checks a request schema cannot say: a form-only field ("type it again") or a rule the server decides on the stored record. Say why at the call site. */
  extra?: (values: V) => Record<string, string | null | undefined>;
  /** When the form's values are not the request's shape: the request they make (the submit sends the same). */
  request?: (values: V) => unknown;
  /** The form field an issue's path (in the request) is shown under; the path itself by default. */
  field?: (path: string) => string;
}

/**
 * A Mantine form's `validate`: the contracts' schema of the request checks the values, and each
 * issue's message (the schema's own, naming the fix) shows under the field its path names, e.g.
 * `name` or `countries.0.country`. A field the schema refused keeps the schema's first message.
 */
export function validateWithSchema<V>(
  schema: Schema,
  options: SchemaValidationOptions<V> = {},
): (values: V) => FormErrors {
  const bySchema = schemaResolver(schema, { sync: true });
  const { extra, request, field } = options;
  return (values) => {
    const errors: FormErrors = {};
    for (const [path, message] of Object.entries(extra?.(values) ?? {})) if (message) errors[path] = message;
    const fromSchema: FormErrors = {};
    for (const [path, message] of Object.entries(bySchema(request ? request(values) : values))) {
      const key = field ? field(path) : path;
      if (!(key in fromSchema)) fromSchema[key] = message;
    }
    return { ...errors, ...fromSchema };
  };
}

/** The first message a schema gives for a value, or null when it passes (for a live hint under a field). */
export function schemaMessage(schema: Schema, value: unknown): string | null {
  const first = Object.values(schemaResolver(schema, { sync: true })(value))[0];
  return typeof first === 'string' ? first : null;
}
