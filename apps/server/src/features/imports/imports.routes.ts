import fastifyMultipart from '@fastify/multipart';
import type { FastifyRouteSchemaDef } from 'fastify/types/schema';
import { validatorCompiler, type FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  importIdParamsSchema,
  importListSchema,
  importSchema,
  listIdParamsSchema,
  startImportBodySchema,
  uploadedImportSchema,
} from '@engage/contracts';
import { AppError } from '../../lib/errors';
import { currentUser } from '../../lib/guard';
import { errorResponses } from '../../lib/openapi';
import { csvResponse, sendCsv } from '../lists/csv';
import { tooLarge, type ImportsService } from './imports.service';

/** How often uploads not imported in time are looked for (IMPORT_UPLOAD_EXPIRY_HOURS). */
const EXPIRY_SWEEP_MS = 10 * 60_000;

/** Multipart bodies are read as a stream by the handler; the body schema only documents them. */
const multipartBody = z.object({
  file: z
    .string()
    .meta({ format: 'binary' })
    .describe('The CSV file (UTF-8 or Windows-1252; comma, semicolon or tab separated; header row first)'),
});
const passThrough = (data: unknown) => ({ value: data });
/** The zod validator for params; the body (a stream) is left to the handler. */
function documentOnlyBody<S>(route: FastifyRouteSchemaDef<S>) {
  return route.httpPart === 'body' ? passThrough : validatorCompiler({ ...route, schema: route.schema as z.ZodType });
}

/**
 * CSV imports into lists (managers). The upload route registers @fastify/multipart inside this
 * plugin only; the file is streamed to disk, never buffered whole.
 */
export const importsRoutes: FastifyPluginAsyncZod<{ imports: ImportsService; maxBytes: number }> = async (
  app,
  { imports, maxBytes },
) => {
  await app.register(fastifyMultipart, {
    limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 10_000, parts: 20 },
  });
  const expireUploads = () =>
    imports.expireUploads().catch((err: unknown) => app.log.warn({ err }, 'could not delete expired uploads'));
  let sweep: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    await imports.reapOrphans().catch((err: unknown) => app.log.warn({ err }, 'could not check for stopped imports'));
    await expireUploads();
    sweep = setInterval(() => void expireUploads(), EXPIRY_SWEEP_MS);
    sweep.unref();
  });
  app.addHook('onClose', async () => {
    clearInterval(sweep);
    await imports.close();
  });
  const access = { access: 'manager' as const };

  app.post(
    '/api/lists/:listId/imports',
    {
      config: access,
      validatorCompiler: documentOnlyBody,
      schema: {
        operationId: 'importList',
        tags: ['imports'],
        summary: 'Upload a CSV file into a list: answers the import with a preview and a suggested mapping',
        description: `multipart/form-data with one part \`file\`, at most ${maxBytes} bytes (IMPORT_MAX_BYTES). The file is read as UTF-8 (with or without BOM; CRLF or LF), or, when it is not valid UTF-8, as Windows-1252 (older Excel) and stored as UTF-8 (\`import.encoding\` says which); anything else (UTF-16, or bytes Windows-1252 does not define) answers 415 unsupported_encoding. Nothing is imported until startImport.`,
        consumes: ['multipart/form-data'],
        params: listIdParamsSchema,
        body: multipartBody,
        response: { 201: uploadedImportSchema, ...errorResponses(400, 401, 403, 404, 413) },
      },
    },
    async (req, reply) => {
      const user = currentUser(req);
      const declared = Number(req.headers['content-length'] ?? 0);
      // Far over the limit (multipart framing aside): refused before a byte is read.
      if (declared > maxBytes + 1_048_576) throw tooLarge(maxBytes);
      if (!req.isMultipart()) {
        throw new AppError(
          'unsupported_media_type',
          'Send the file as multipart/form-data, in a part named "file" (choose the file and upload it).',
        );
      }
      const part = await req.file();
      if (!part) throw new AppError('validation_failed', 'Choose a CSV file to upload.');
      const uploaded = await imports.upload(user, req.params.listId, {
        fileName: part.filename,
        stream: part.file,
        truncated: () => part.file.truncated,
      });
      return reply.status(201).send(uploaded);
    },
  );

  app.get(
    '/api/lists/:listId/imports',
    {
      config: access,
      schema: {
        operationId: 'listImports',
        tags: ['imports'],
        summary: 'The latest imports into a list, newest first',
        params: listIdParamsSchema,
        response: { 200: importListSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => ({ imports: await imports.listOfList(req.params.listId) }),
  );

  app.post(
    '/api/imports/:importId/start',
    {
      config: access,
      schema: {
        operationId: 'startImport',
        tags: ['imports'],
        summary: 'Start an uploaded import with its column mapping; it runs in the background',
        description:
          'Answers 202 at once with the import running; poll getImport for its progress. A failed import can be started again (until its upload expires). Only the uploader or an administrator (403). 429 too_many_imports (with Retry-After) when the server or you already run as many imports as allowed at once.',
        params: importIdParamsSchema,
        body: startImportBodySchema,
        response: { 202: importSchema, ...errorResponses(400, 401, 403, 404, 409, 429) },
      },
    },
    async (req, reply) => reply.status(202).send(await imports.start(currentUser(req), req.params.importId, req.body)),
  );

  app.get(
    '/api/imports/:importId',
    {
      config: access,
      schema: {
        operationId: 'getImport',
        tags: ['imports'],
        summary: "An import's status, progress and counts (poll it while it runs)",
        params: importIdParamsSchema,
        response: { 200: importSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => imports.get(req.params.importId),
  );

  app.get(
    '/api/imports/:importId/preview',
    {
      config: access,
      schema: {
        operationId: 'getImportPreview',
        tags: ['imports'],
        summary: 'An upload not started (or a failed import) with its preview and mapping, to resume it',
        description:
          'Answers as importList did: the import, its first rows and a suggested mapping (a failed import: its own). Then startImport. Only the uploader or an administrator (403); 409 when it has run, is running or expired.',
        params: importIdParamsSchema,
        response: { 200: uploadedImportSchema, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req) => imports.preview(currentUser(req), req.params.importId),
  );

  app.delete(
    '/api/imports/:importId',
    {
      config: access,
      schema: {
        operationId: 'deleteImport',
        tags: ['imports'],
        summary: 'Delete an upload that was never started: its stored file and its row (audited on the list)',
        description:
          'Only the uploader or an administrator (403). 409 when the import has started (running, done, failed: it is kept with its report) or expired.',
        params: importIdParamsSchema,
        response: { 204: z.null().describe('Deleted'), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      await imports.remove(currentUser(req), req.params.importId);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/imports/:importId/errors',
    {
      config: access,
      schema: {
        operationId: 'downloadImportErrors',
        tags: ['imports'],
        summary: "An import's error report as CSV: row number, reference, field, message",
        params: importIdParamsSchema,
        response: { 200: csvResponse, ...errorResponses(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const { fileName, stream } = await imports.errorsCsv(req.params.importId);
      return sendCsv(reply, fileName, stream);
    },
  );
};
