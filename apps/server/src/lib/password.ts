import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import { MIN_PASSWORD_LENGTH } from '@engage/contracts';
import { AppError } from './errors';

// argon2id with the OWASP-recommended minimum (19 MiB, 2 passes, 1 lane).
const options = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A real hash of a random secret: verifying against it costs the same as against a user's. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(`dummy-${Math.random()}`);
  return dummyHash;
}

let common: Set<string> | undefined;

/**
 * Whether a password is one of the ~49,000 most commonly used ones (the list of
 * @zxcvbn-ts/language-common, shipped in the package: no network call). Case does not matter.
 */
export function isCommonPassword(password: string): boolean {
  common ??= new Set(dictionary['passwords-common']);
  return common.has(password.toLowerCase());
}

/**
 * The one rule for a new password, wherever one is set (create-admin, an administrator creating a
 * user or resetting a password, a user changing their own): at least MIN_PASSWORD_LENGTH
 * characters, and not a commonly used one. `field` is the request field the refusal names.
 */
export function checkNewPassword(password: string, field = 'body.password'): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError('validation_failed', `The password must have at least ${MIN_PASSWORD_LENGTH} characters.`, {
      issues: [{ path: field, message: `At least ${MIN_PASSWORD_LENGTH} characters` }],
    });
  }
  if (isCommonPassword(password)) {
    throw new AppError(
      'validation_failed',
      'This password is one of the most commonly used, so it is among the first an attacker tries. Choose another: a few unrelated words make a long one that is easy to remember.',
      { issues: [{ path: field, message: 'Too common: choose another' }] },
    );
  }
}
