/**
 * One process runs every function locally, and they share one logger: without this, a log line carries
 * the Lambda context (function name, request id) of whichever invocation set it last, e.g. a recurring
 * charge logged as `jwt-sale`. Deployed, a process runs one function; on Lambda Managed Instances it runs
 * several invocations of it at once, each in its own scope of Lambda's InvokeStore (the
 * `globalThis.awslambda.InvokeStore` of `@aws/lambda-invoke-store`), where Powertools keeps the logger's
 * context, keys and level when `AWS_LAMBDA_MAX_CONCURRENCY` is set. The local runtime does the same:
 * it sets that variable (environment.ts), installs the store below, and runs every invocation in a scope.
 * Outside any scope the store is one shared record, which is how Powertools behaves without it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

type Scope = Record<string | symbol, unknown>;

/** The keys the Lambda runtime sets in a scope (Symbol.for, as `@aws/lambda-invoke-store` names them). */
const requestIdKey = Symbol.for('_AWS_LAMBDA_REQUEST_ID');
const traceIdKey = Symbol.for('_AWS_LAMBDA_X_RAY_TRACE_ID');

/** What Powertools and the AWS SDK call on `globalThis.awslambda.InvokeStore`. */
class LocalInvokeStore {
  private readonly scopes = new AsyncLocalStorage<Scope>();
  private readonly outside: Scope = {};

  private current(): Scope {
    return this.scopes.getStore() ?? this.outside;
  }

  get<T = unknown>(key: string | symbol): T | undefined {
    return this.current()[key] as T | undefined;
  }

  set<T = unknown>(key: string | symbol, value: T): void {
    this.current()[key] = value;
  }

  getContext(): Scope | undefined {
    return this.scopes.getStore();
  }

  hasContext(): boolean {
    return this.scopes.getStore() !== undefined;
  }

  run<T>(scope: Scope, work: () => T): T {
    return this.scopes.run(scope, work);
  }

  getRequestId(): string {
    return this.get<string>(requestIdKey) ?? '-';
  }

  getXRayTraceId(): string | undefined {
    return this.get<string>(traceIdKey);
  }

  getTenantId(): undefined {
    return undefined;
  }

  getTraceparent(): undefined {
    return undefined;
  }

  getTracestate(): undefined {
    return undefined;
  }

  getBaggage(): undefined {
    return undefined;
  }
}

const store = new LocalInvokeStore();

interface LambdaGlobal {
  awslambda?: { InvokeStore?: unknown };
}

/**
 * Puts the store where Powertools looks for it. Done when this module loads, before any handler module
 * (whose logger reads the store as it is built); again before each invocation, as the AWS SDK puts a
 * store of its own there when it finds none, and that one refuses to be written outside a scope.
 */
function install(): void {
  const global = globalThis as LambdaGlobal;
  global.awslambda ??= {};
  global.awslambda.InvokeStore = store;
}

install();

/**
 * Runs `work` as one invocation, in a scope of its own: what it (and everything it awaits) gives the
 * logger stays its own.
 * @example await inInvocationScope(context.awsRequestId, () => module.handler(event, context));
 */
export function inInvocationScope<T>(requestId: string, work: () => T): T {
  install();
  return store.run({ [requestIdKey]: requestId }, work);
}
