import { describe, expect, it } from 'vitest';
import { dialerRefusalCodeSchema } from '@engage/contracts';
import { DIALER_ROUTINE_FILES, readRoutineFile } from './dialer.routines';

// The refusal codes are one enum (contracts), handled by one exhaustive switch (dialer.service.ts):
// the routines raise exactly those codes.
describe('the dialer routines refusal codes', () => {
  const raised = new Set(
    DIALER_ROUTINE_FILES.flatMap((f) =>
      [...readRoutineFile(f).matchAll(/dialer_refuse\('([a-z_]+)'/g)].map((m) => m[1]),
    ),
  );

  it('raise only codes of the enum', () => {
    for (const code of raised) expect(dialerRefusalCodeSchema.options).toContain(code);
  });

  it('raise every code of the enum', () => {
    expect([...raised].sort()).toEqual([...dialerRefusalCodeSchema.options].sort());
  });
});
