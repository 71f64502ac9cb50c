import type { FastifyServerOptions } from 'fastify';
import { stdSerializers, type DestinationStream } from 'pino';
import type { Config } from '../env';
import { loggable } from './errors';

/** What a request's log lines say of it. */
interface LoggedRequest {
  method: string;
  url: string;
  ip?: string;
  socket?: { remotePort?: number } | null;
}

/**
 * pino options: JSON logs with request ids, and no personal data. Never cookies, passwords or
 * session tokens; never a request body; a request's URL without its query string (donor searches
 * carry names, phone numbers and emails there); no database error detail (it quotes the values of
 * a violated constraint), nor the parameters of a failed statement. Refusals are logged by code and field (lib/errors.ts), not by message.
 */
export function loggerOptions(
  config: Pick<Config, 'LOG_LEVEL' | 'NODE_ENV'>,
  stream?: DestinationStream,
): FastifyServerOptions['logger'] {
  return {
    level: config.LOG_LEVEL,
    ...(stream ? { stream } : {}),
    serializers: {
      err: (err: Error) => {
        const { error, query } = loggable(err);
        const out = stdSerializers.err(error as Error);
        return query === undefined ? out : { ...out, query };
      },
      req: (req: LoggedRequest) => ({
        method: req.method,
        url: pathOnly(req.url),
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
    },
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'res.headers["set-cookie"]',
        '*.password',
        '*.passwordHash',
        'err.detail',
        'err.cause.detail',
      ],
      censor: '[redacted]',
    },
  };
}

/** A URL without its query string: `/api/donors?q=Jane` is logged as `/api/donors`. */
function pathOnly(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}
