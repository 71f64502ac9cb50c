import type { Role, UserListItem } from '@engage/contracts';
import type { Db } from '../../db/client';
import { AppError } from '../../lib/errors';
import { hashPassword } from '../../lib/password';
import * as repo from './users.repository';

export const MIN_PASSWORD_LENGTH = 10;

export type UsersService = ReturnType<typeof createUsersService>;

export function createUsersService(deps: { db: Db }) {
  const { db } = deps;

  async function list(): Promise<UserListItem[]> {
    const rows = await repo.listUsers(db);
    return rows.map((r) => ({
      id: r.id,
      email: r.email,
      name: r.name,
      role: r.role,
      disabled: r.disabledAt !== null,
      createdAt: r.createdAt.toISOString(),
    }));
  }

  async function create(input: { email: string; name: string; role: Role; password: string }) {
    if (input.password.length < MIN_PASSWORD_LENGTH) {
      throw new AppError('validation_failed', `The password must have at least ${MIN_PASSWORD_LENGTH} characters.`, {
        issues: [{ path: 'body.password', message: `At least ${MIN_PASSWORD_LENGTH} characters` }],
      });
    }
    if (await repo.findUserIdByEmail(db, input.email)) {
      throw new AppError('conflict', `A user with the email ${input.email} already exists. Use another email.`);
    }
    const passwordHash = await hashPassword(input.password);
    return repo.insertUser(db, {
      email: input.email.toLowerCase(),
      name: input.name.trim(),
      role: input.role,
      passwordHash,
    });
  }

  return { list, create };
}
