import { z } from 'zod';

export const roles = ['admin', 'manager', 'agent'] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

export const loginBodySchema = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ message: 'Enter a valid email address' })),
  password: z.string().min(1, 'Enter your password').max(1024),
});
export type LoginBody = z.infer<typeof loginBodySchema>;

export const userSchema = z
  .object({
    id: z.number().int(),
    email: z.string(),
    name: z.string(),
    role: roleSchema,
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof userSchema>;

export const meResponseSchema = z.object({ user: userSchema }).meta({ id: 'Me' });
export type MeResponse = z.infer<typeof meResponseSchema>;

export const userListItemSchema = userSchema
  .extend({ disabled: z.boolean(), createdAt: z.iso.datetime() })
  .meta({ id: 'UserListItem' });
export const userListSchema = z.object({ users: z.array(userListItemSchema) }).meta({ id: 'UserList' });
export type UserListItem = z.infer<typeof userListItemSchema>;
