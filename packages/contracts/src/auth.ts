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

/**
 * A new password, wherever one is set. The server also refuses commonly used passwords (a list it
 * ships), which is too long to send to the browser.
 */
export const MIN_PASSWORD_LENGTH = 10;
export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `At least ${MIN_PASSWORD_LENGTH} characters`)
  .max(1024, 'At most 1,024 characters');

export const changePasswordBodySchema = z.object({
  currentPassword: z.string().min(1, 'Enter your current password').max(1024),
  newPassword: passwordSchema,
});
export type ChangePasswordBody = z.infer<typeof changePasswordBodySchema>;

export const userSchema = z
  .object({
    id: z.number().int(),
    email: z.string(),
    name: z.string(),
    role: roleSchema,
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof userSchema>;

/** The signed-in user, as sign-in and getMe answer. */
export const sessionUserSchema = userSchema
  .extend({
    mustChangePassword: z
      .boolean()
      .describe(
        'An administrator set this password: until the user chooses their own (changePassword), every other operation answers password_change_required',
      ),
  })
  .meta({ id: 'SessionUser' });
export type SessionUser = z.infer<typeof sessionUserSchema>;

export const meResponseSchema = z.object({ user: sessionUserSchema }).meta({ id: 'Me' });
export type MeResponse = z.infer<typeof meResponseSchema>;

/** Who is signed in, if anyone: `user` is null without a valid session (not an error). */
export const sessionResponseSchema = z.object({ user: sessionUserSchema.nullable() }).meta({ id: 'Session' });
export type SessionResponse = z.infer<typeof sessionResponseSchema>;
