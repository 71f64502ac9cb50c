import type { FastifyInstance } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { z } from 'zod';

/**
 * How requests are read and validated: every part by its route's zod schema, and a request
 * without a body (`curl -X POST`, most phone systems, or an empty body sent as
 * `application/json`) as an absent body. Operations that take none accept it; those that need
 * one answer validation_failed.
 */
export function setUpRequestValidation(app: FastifyInstance): void {
  const { onProtoPoisoning = 'error', onConstructorPoisoning = 'error' } = app.initialConfig;
  const json = app.getDefaultJsonParser(onProtoPoisoning, onConstructorPoisoning);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = body.toString();
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    void json(req, text, done);
  });
  // Fastify hands an absent body to the validator as null; the schemas say absent with undefined.
  app.setValidatorCompiler((route) => {
    const validate = validatorCompiler({ ...route, schema: route.schema as z.ZodType });
    return route.httpPart === 'body' ? (data: unknown) => validate(data ?? undefined) : validate;
  });
}
