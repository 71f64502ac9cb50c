import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { changePasswordBodySchema, loginBodySchema, meResponseSchema, sessionResponseSchema } from '@engage/contracts';
import type { Config } from '../../env';
import { clearSessionCookie, currentUser, sessionCookieName, setSessionCookie } from '../../lib/guard';
import { errorResponses } from '../../lib/openapi';
import type { AuthService } from './auth.service';

export const authRoutes: FastifyPluginAsyncZod<{ auth: AuthService; config: Pick<Config, 'COOKIE_SECURE'> }> = async (
  app,
  { auth, config },
) => {
  app.post(
    '/api/auth/login',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'login',
        tags: ['auth'],
        summary: 'Sign in with email and password; sets the session cookie',
        body: loginBodySchema,
        response: { 200: meResponseSchema, ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (req, reply) => {
      const { token, user, maxAgeSeconds } = await auth.login({
        email: req.body.email,
        password: req.body.password,
        ip: req.ip,
        userAgent: req.headers['user-agent'] ?? null,
      });
      setSessionCookie(reply, token, maxAgeSeconds, config.COOKIE_SECURE);
      req.log.info({ userId: user.id }, 'signed in');
      return { user };
    },
  );

  app.get(
    '/api/auth/me',
    {
      config: { access: 'agent', beforePasswordChange: true },
      schema: {
        operationId: 'getMe',
        tags: ['auth'],
        summary: 'The signed-in user',
        response: { 200: meResponseSchema, ...errorResponses(401) },
      },
    },
    async (req) => ({ user: currentUser(req) }),
  );

  // The web app's "who am I" at start-up: answers 200 with `user: null` when signed out, so that
  // opening the login page is not a failed request. getMe stays 401 for a caller that needs a session.
  app.get(
    '/api/auth/session',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'getSession',
        tags: ['auth'],
        summary: 'The signed-in user, or null when there is no valid session',
        response: { 200: sessionResponseSchema },
      },
    },
    async (req, reply) => {
      const token = req.cookies[sessionCookieName(config.COOKIE_SECURE)];
      if (!token) return { user: null };
      const found = await auth.resolveSession(token);
      switch (found.status) {
        case 'none':
        case 'expired':
          clearSessionCookie(reply, config.COOKIE_SECURE);
          return { user: null };
        case 'valid':
          return { user: found.user };
      }
    },
  );

  app.post(
    '/api/auth/password',
    {
      config: { access: 'agent', beforePasswordChange: true },
      schema: {
        operationId: 'changePassword',
        tags: ['auth'],
        summary: 'Change your own password (the current one, then the new one); your other sessions end',
        body: changePasswordBodySchema,
        response: { 200: meResponseSchema, ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (req) => {
      const user = await auth.changePassword({
        userId: currentUser(req).id,
        tokenHash: req.sessionTokenHash ?? '',
        currentPassword: req.body.currentPassword,
        newPassword: req.body.newPassword,
      });
      req.log.info({ userId: user.id }, 'password changed');
      return { user };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { access: 'agent', beforePasswordChange: true },
      schema: {
        operationId: 'logout',
        tags: ['auth'],
        summary: 'End this session',
        response: { 204: z.null().describe('Signed out'), ...errorResponses(401, 403) },
      },
    },
    async (req, reply) => {
      if (req.sessionTokenHash) await auth.logout(req.sessionTokenHash);
      clearSessionCookie(reply, config.COOKIE_SECURE);
      return reply.status(204).send(null);
    },
  );
};
