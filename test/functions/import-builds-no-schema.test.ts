/**
 * Importing a Lambda handler builds no zod schema (issue 11): a cold start pays for the schemas its
 * first request needs, when it needs them (shared/lazy.ts), not for every schema its modules hold.
 *
 * Each handler of infra/routes.ts is imported in a fresh module registry with shared/zod.ts replaced by
 * a wrapper that records every call of its functions (delegating to the real ones); none may be called.
 * That this sees every schema rests on two rules of the sources, checked here too: runtime code
 * (functions/ and shared/) reaches zod only through shared/zod.ts, and imports the response schemas
 * (shared/http/schemas/, built at import for the OpenAPI document) only as types. A third keeps the
 * bundles small: every `lazy(...)` is marked pure, so that esbuild drops the getters a bundle never calls.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { functionNames } from '../../infra/routes';

type Zod = typeof import('../../shared/zod');

const projectRoot = join(__dirname, '..', '..');
const zodModule = '../../shared/zod';
const realZod = jest.requireActual<Zod>(zodModule);

/** The namespaces of zod whose functions build schemas too (`z.iso.datetime()`, `z.coerce.number()`). */
const builderNamespaces = ['iso', 'coerce'];

interface ZodCall {
  /** e.g. `strictObject`, `iso.datetime`. */
  name: string;
  /** The project file that called it (relative to the project), if the stack names one. */
  from: string | undefined;
}

/** The first file of the Lambda code (functions/ or shared/, not shared/zod.ts) in a stack trace. */
function callerOf(stack: string | undefined): string | undefined {
  for (const line of (stack ?? '').split('\n').slice(1)) {
    const file = /(\/[^\s():]+\.ts):\d+:\d+\)?$/.exec(line)?.[1];
    if (file === undefined || !file.startsWith(projectRoot)) continue;
    const path = relative(projectRoot, file);
    if (/^(functions|shared)\//.test(path) && path !== 'shared/zod.ts') return path;
  }
  return undefined;
}

/** shared/zod.ts as it is, except that every call (or `new`) of its functions is recorded in `calls`. */
function countingZod(calls: ZodCall[]): Zod {
  const wrap = (name: string, value: unknown): unknown => {
    if (typeof value !== 'function') return value;
    const record = () => calls.push({ name, from: callerOf(new Error().stack) });
    return new Proxy(value, {
      apply: (target, self, args) => {
        record();
        return Reflect.apply(target, self, args);
      },
      construct: (target, args, newTarget) => {
        record();
        return Reflect.construct(target, args, newTarget);
      },
    });
  };
  const wrapper: Record<string, unknown> = { __esModule: true };
  for (const [name, value] of Object.entries(realZod)) {
    wrapper[name] = builderNamespaces.includes(name)
      ? Object.fromEntries(
          Object.entries(value as Record<string, unknown>).map(([key, member]) => [
            key,
            wrap(`${name}.${key}`, member),
          ]),
        )
      : wrap(name, value);
  }
  wrapper.z = wrapper;
  return wrapper as unknown as Zod;
}

/** The zod calls made while `path` (relative to the project) is imported in a fresh module registry. */
function zodCallsImporting(path: string): ZodCall[] {
  const calls: ZodCall[] = [];
  jest.isolateModules(() => {
    jest.doMock(zodModule, () => countingZod(calls));
    require(join(projectRoot, path));
  });
  return calls;
}

/** The calls by the file that made them, e.g. `{ 'shared/x.ts': 'strictObject, string' }`: a readable failure. */
function byCaller(calls: readonly ZodCall[]): Record<string, string> {
  const names: Record<string, string[]> = {};
  for (const { name, from = '(no project file in the stack)' } of calls) {
    names[from] = [...(names[from] ?? []), name];
  }
  return Object.fromEntries(Object.entries(names).map(([from, called]) => [from, called.join(', ')]));
}

/** Every `.ts` file under `folder` (relative to the project), relative to the project. */
function sourcesUnder(folder: string): string[] {
  return readdirSync(join(projectRoot, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(folder, file));
}

/** Each import or re-export of `source`: whether it is `import type`, and from where. */
function importsOf(source: string): { typeOnly: boolean; from: string }[] {
  const statements = source.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?\bfrom\s+'([^']+)'/gms);
  return [...statements].map(([, type, from]) => ({ typeOnly: type !== undefined, from: from ?? '' }));
}

describe('Lambda handlers, imported', () => {
  beforeAll(() => {
    // What the handlers read at import (infra/constructs/environment.ts sets them in the stack).
    Object.assign(process.env, {
      TABLE_NAME: 'payments-test',
      CLEARENT_BASE_URL: 'https://gateway.example.test',
      CLEARENT_SECRET_PREFIX: '/payments/test/storefronts/',
      CURSOR_SECRET_NAME: '/payments/test/cursor',
      RECURRING_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/recurring',
      WEBHOOK_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/webhooks',
    });
  });

  it('records the calls of a module that builds schemas at import (the response schemas)', () => {
    const calls = zodCallsImporting('shared/http/schemas/transaction.ts');

    expect(calls).toContainEqual({ name: 'strictObject', from: 'shared/http/schemas/transaction.ts' });
  });

  it.each(functionNames)('functions/%s/handler.ts builds no zod schema at import', (name) => {
    const calls = zodCallsImporting(`functions/${name}/handler.ts`);

    expect(byCaller(calls)).toEqual({});
  });
});

describe('Lambda code (functions/ and shared/), its sources', () => {
  const sources = [...sourcesUnder('functions'), ...sourcesUnder('shared')].map((path) => {
    const text = readFileSync(join(projectRoot, path), 'utf8');
    return { path, text, imports: importsOf(text) };
  });

  it('imports zod only through shared/zod.ts', () => {
    const direct = sources
      .filter(({ path }) => path !== 'shared/zod.ts')
      .flatMap(({ path, imports }) =>
        imports.filter(({ from }) => /^zod(\/|$)/.test(from)).map(({ from }) => `${path}: ${from}`),
      );

    expect(direct).toEqual([]);
  });

  it('marks every call of `lazy` pure, so that a bundle drops the getters it never calls (shared/lazy.ts)', () => {
    const unmarked = sources
      .filter(({ path }) => path !== 'shared/lazy.ts')
      .flatMap(({ path, text }) =>
        text
          .split('\n')
          .flatMap((line, index) =>
            /\blazy\(/.test(line) && !line.includes('/* @__PURE__ */ lazy(') ? [`${path}:${index + 1}`] : [],
          ),
      );

    expect(unmarked).toEqual([]);
  });

  it('imports the response schemas (shared/http/schemas/) only with `import type`', () => {
    const valueImports = sources
      .filter(({ path }) => !path.startsWith('shared/http/schemas/'))
      .flatMap(({ path, imports }) =>
        imports
          .filter(({ typeOnly, from }) => !typeOnly && /\/schemas\//.test(from))
          .map(({ from }) => `${path}: ${from}`),
      );

    expect(valueImports).toEqual([]);
  });
});
