import { readFileSync } from 'node:fs';
import { eventComponentName } from '../../../infra/openapi/components';
import { openApiDocument } from '../../../infra/openapi/document';
import { documentPath, documentText } from '../../../infra/openapi/write';
import { apiRoutes } from '../../../infra/routes';
import { eventTypes } from '../../../shared/events/event';

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

type Operation = {
  security?: unknown[];
  parameters?: { $ref?: string; name?: string; in?: string }[];
  responses: Record<string, { $ref?: string; headers?: Record<string, unknown> }>;
  requestBody?: unknown;
};

const document = openApiDocument();
const operationOf = (method: string, path: string): Operation =>
  document.paths[path]?.[method.toLowerCase()] as unknown as Operation;

describe('Function: openApiDocument', () => {
  it('documents every route of infra/routes.ts, and nothing that is not one', () => {
    // Act
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((key) => methods.includes(key))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );

    // Assess
    expect(documented.sort()).toEqual(apiRoutes.map((route) => `${route.method} ${route.path}`).sort());
  });

  it('is committed as docs/openapi.json exactly as the code builds it (run `npm run openapi` if not)', () => {
    // Act
    const committed = readFileSync(documentPath, 'utf8');

    // Assess
    expect(committed).toBe(documentText());
  });

  it('is built the same every time', () => {
    expect(JSON.stringify(openApiDocument())).toBe(JSON.stringify(document));
  });

  it('asks for the storefront key on every authorized route and on no other', () => {
    // Assess
    expect(document.security).toEqual([{ storefrontKey: [] }]);
    expect(document.components.securitySchemes.storefrontKey).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    for (const route of apiRoutes) {
      const operation = operationOf(route.method, route.path);
      if (route.authorized) {
        expect(operation.security).toBeUndefined();
        expect(operation.responses['401']).toEqual({ $ref: '#/components/responses/Unauthorized' });
      } else {
        expect(operation.security).toEqual([]);
        expect(operation.responses['401']).toBeUndefined();
      }
    }
  });

  it('takes an Idempotency-Key on every POST and PATCH, answering 409 with Retry-After, and on no other', () => {
    for (const route of apiRoutes) {
      // Act
      const operation = operationOf(route.method, route.path);
      const takesKey = (operation.parameters ?? []).some(
        (parameter) => parameter.$ref === '#/components/parameters/IdempotencyKey',
      );

      // Assess
      const writes = route.method === 'POST' || route.method === 'PATCH';
      expect([route.path, takesKey]).toEqual([route.path, writes]);
      expect([route.path, operation.requestBody !== undefined]).toEqual([route.path, writes]);
      if (writes)
        expect(operation.responses['409']).toEqual({ $ref: '#/components/responses/IdempotencyKeyInUse' });
    }
    expect(document.components.responses.IdempotencyKeyInUse?.headers).toEqual({
      'Retry-After': { $ref: '#/components/headers/RetryAfter' },
    });
    expect(document.components.headers.RetryAfter).toMatchObject({ required: true });
  });

  it('answers a pending sale or refund 504 with the transaction and Retry-After', () => {
    for (const path of ['/v1/sales/jwt', '/v1/sales/token', '/v1/refunds']) {
      expect(operationOf('POST', path).responses['504']).toMatchObject({
        headers: { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } },
        content: {
          'application/json': { schema: { $ref: '#/components/schemas/OutcomeUnknownError' } },
        },
      });
    }
  });

  it('describes a webhook per event type, carrying that type and signed with the Standard Webhooks headers', () => {
    // Assess
    expect(Object.keys(document.webhooks)).toEqual([...eventTypes]);
    for (const type of eventTypes) {
      const name = eventComponentName(type);
      expect(document.webhooks[type]).toMatchObject({
        post: {
          requestBody: {
            content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } },
          },
          parameters: [
            { $ref: '#/components/parameters/WebhookId' },
            { $ref: '#/components/parameters/WebhookTimestamp' },
            { $ref: '#/components/parameters/WebhookSignature' },
          ],
        },
      });
      expect(document.components.schemas[name]).toMatchObject({
        properties: { type: { const: type } },
      });
    }
  });

  it('refers only to components it has', () => {
    // Act
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/([^"]+)"/g)].map(([, ref]) => ref ?? '');
    const missing = refs.filter(
      (ref) =>
        ref
          .split('/')
          .reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], document) === undefined,
    );

    // Assess
    expect(refs.length).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });
});
