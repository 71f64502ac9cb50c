import { apiOperations, type Operation } from '@engage/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './app';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

interface DocOperation {
  operationId?: string;
  requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
  parameters?: { in: string; name: string }[];
  responses?: Record<string, unknown>;
}

describe("the contracts' table of operations", () => {
  it('names each operation as the server serves it: method, path, path parameters, body and answer', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, Record<string, DocOperation>>;
    }>();
    const served = new Map<string, { method: string; path: string; op: DocOperation }>();
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (op.operationId) served.set(op.operationId, { method: method.toUpperCase(), path, op });
      }
    }

    const entries = Object.entries(apiOperations) as [string, Operation][];
    expect(entries.length).toBeGreaterThan(0);
    for (const [id, operation] of entries) {
      const route = served.get(id);
      expect(route, `${id} is not an operationId of the server`).toBeDefined();
      if (!route) continue;
      expect({ id, method: operation.method, path: operation.path.replace(/:([A-Za-z]+)/g, '{$1}') }).toEqual({
        id,
        method: route.method,
        path: route.path,
      });
      const pathParams = (route.op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      const declared = operation.params ? Object.keys((operation.params as unknown as { shape: object }).shape) : [];
      expect({ id, params: declared.sort() }).toEqual({ id, params: pathParams.sort() });
      // A JSON body where the table has one, a multipart upload where it names the file's part.
      const bodyKind = operation.body ? ['application/json'] : operation.upload ? ['multipart/form-data'] : [];
      expect({ id, body: bodyKind }).toEqual({ id, body: Object.keys(route.op.requestBody?.content ?? {}) });
      if (operation.upload) {
        const parts = Object.keys(route.op.requestBody?.content?.['multipart/form-data']?.schema?.properties ?? {});
        expect({ id, parts }).toEqual({ id, parts: [operation.upload] });
      }
      const success = Object.keys(route.op.responses ?? {}).filter((s) => s.startsWith('2'));
      expect({ id, answers: operation.response === undefined ? ['204'] : success.filter((s) => s !== '204') }).toEqual({
        id,
        answers: success,
      });
    }
  });
});
