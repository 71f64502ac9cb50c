import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../lib/errors';
import type { PhoneSystem } from './inbound.service';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body's bytes as sent (the phone system's routes only), which the signature covers. */
    rawBody?: Buffer;
    /** The phone system the request was authenticated as (the phone system's routes only). */
    phoneSystem?: PhoneSystem;
    /** Why the body is not JSON, answered only once the phone system is authenticated. */
    unreadBody?: Error;
  }
}

/** How far the signature's timestamp may be from the server's clock. */
export const SIGNATURE_WINDOW_SECONDS = 300;

export const SIGNATURE_HEADER = 'x-engage-signature';

/** The signature a phone system sends: hex HMAC-SHA256, keyed with its token, over `t + "." + body`. */
export function signPhoneSystemBody(token: string, t: number, body: Buffer | string): string {
  return createHmac('sha256', token)
    .update(`${t}.`)
    .update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body)
    .digest('hex');
}

/**
 * Reads JSON bodies in this (encapsulated) plugin's routes as Fastify does, keeping the raw bytes
 * on `req.rawBody` for the signature. A body that is not JSON is answered as such only after the
 * caller is authenticated (an unknown caller hears 401 and nothing else). Every other route keeps
 * the app's parser.
 */
export function keepRawJsonBodies(app: FastifyInstance): void {
  const { onProtoPoisoning = 'error', onConstructorPoisoning = 'error' } = app.initialConfig;
  const json = app.getDefaultJsonParser(onProtoPoisoning, onConstructorPoisoning);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    const raw = body as Buffer;
    req.rawBody = raw;
    const text = raw.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    void json(req, text, (err: Error | null, value?: unknown) => {
      if (err) req.unreadBody = err;
      done(null, err ? undefined : value);
    });
  });
}

/**
 * How the OpenAPI document names the phone system's credentials (app.ts registers them; the phone
 * system's operations require both), so an integrator can write to the API from the document alone.
 */
export const PHONE_SYSTEM_SECURITY_SCHEMES = {
  phoneSystemToken: {
    type: 'http',
    scheme: 'bearer',
    description: 'The token an administrator created for this phone system (createPhoneSystemToken), shown once.',
  },
  phoneSystemSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Engage-Signature',
    description: `\`t=<unix seconds>,v1=<hex HMAC-SHA256 keyed with the token over t + "." + the raw request body>\`; a t more than ${SIGNATURE_WINDOW_SECONDS} s from the server's clock is refused (401).`,
  },
} as const;

/** The `security` of a phone system's operation: the token and the body's signature, both. */
export const PHONE_SYSTEM_SECURITY = [{ phoneSystemToken: [], phoneSystemSignature: [] }];

function refuse(message: string): AppError {
  return new AppError('unauthenticated', message);
}

/**
 * Authenticates a phone system, before the body is validated or anything is read or written:
 * `Authorization: Bearer <token>` names a token an administrator created and did not revoke, and
 * `X-Engage-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 keyed with the token over t + "." +
 * the raw body>` proves the body is the one the phone system signed, within
 * SIGNATURE_WINDOW_SECONDS of the server's clock (so a captured request cannot be replayed
 * later). Every refusal is 401 with what to fix. Use it as the route's `preValidation` hook, in a
 * plugin that called `keepRawJsonBodies`.
 */
export function phoneSystemAuth(deps: {
  findPhoneSystem(
    token: string,
  ): Promise<{ ok: true; phoneSystem: PhoneSystem } | { ok: false; revokedAt: Date | null }>;
  now: () => Date;
}) {
  return async function authenticatePhoneSystem(req: FastifyRequest): Promise<void> {
    const authorization = req.headers.authorization;
    const bearer = typeof authorization === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
    if (!bearer) {
      throw refuse(
        "Send the phone system's token as `Authorization: Bearer <token>`. An administrator creates one (createPhoneSystemToken).",
      );
    }
    const token = bearer[1]!;
    const found = await deps.findPhoneSystem(token);
    if (!found.ok) {
      throw refuse(
        found.revokedAt
          ? `This phone-system token was revoked on ${found.revokedAt.toISOString()}. Ask an administrator for a new one.`
          : 'This phone-system token is not known. Check it was copied whole, or ask an administrator for a new one.',
      );
    }
    const header = req.headers[SIGNATURE_HEADER];
    const parts = typeof header === 'string' ? /^\s*t=(\d{1,12}),\s*v1=([0-9a-fA-F]{64})\s*$/.exec(header) : null;
    if (!parts) {
      throw refuse(
        'Sign the request: send `X-Engage-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 keyed with the token over t + "." + the body>`.',
      );
    }
    const t = Number(parts[1]);
    const skew = Math.abs(Math.floor(deps.now().getTime() / 1000) - t);
    if (skew > SIGNATURE_WINDOW_SECONDS) {
      throw refuse(
        `The signature's time t is ${skew} s from the server's clock (at most ${SIGNATURE_WINDOW_SECONDS} s): sign each request as you send it, and keep the phone system's clock set (NTP).`,
      );
    }
    const expected = Buffer.from(signPhoneSystemBody(token, t, req.rawBody ?? Buffer.alloc(0)), 'hex');
    const given = Buffer.from(parts[2]!, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw refuse(
        'The signature does not match the body. Sign the exact bytes sent, as t + "." + body, with HMAC-SHA256 keyed with the token.',
      );
    }
    if (req.unreadBody) throw req.unreadBody;
    req.phoneSystem = found.phoneSystem;
  };
}
