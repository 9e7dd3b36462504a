/**
 * Faults of our own side for the model test: a DynamoDB call that fails (before it is applied, or after,
 * its answer lost) and a process crash (that call and every later one in the same command fail, so no
 * cleanup runs, as when a Lambda dies). Port calls are numbered per command; the plan says which fails.
 */

export interface FaultPlan {
  /** The store call (1-based) that fails, and whether its write was applied first. */
  storeFault?: { call: number; applied: boolean };
  /** The port call (store or gateway, 1-based) after which the process dies. */
  crashAfter?: number;
}

export class StoreFault extends Error {
  override readonly name = 'StoreFault';
}

export class Crash extends Error {
  override readonly name = 'Crash';
}

/** Counts a command's port calls and decides which ones fail. */
export class FaultInjector {
  private plan: FaultPlan = {};
  private storeCalls = 0;
  private portCalls = 0;
  private crashed = false;

  /** Starts a command with its plan (or none, for a healthy run). */
  begin(plan: FaultPlan = {}): void {
    this.plan = plan;
    this.storeCalls = 0;
    this.portCalls = 0;
    this.crashed = false;
  }

  /** Runs one port call under the plan. */
  async call<T>(kind: 'store' | 'gateway', write: boolean, run: () => Promise<T>): Promise<T> {
    if (this.crashed) throw new Crash('the process died earlier in this command');
    this.portCalls += 1;
    const storeCall = kind === 'store' ? ++this.storeCalls : undefined;
    const fault = this.plan.storeFault;
    const faulted = storeCall !== undefined && fault?.call === storeCall;
    if (faulted && !(write && fault.applied)) throw new StoreFault(`store call ${storeCall} failed`);
    const result = await run();
    if (faulted) throw new StoreFault(`store call ${storeCall} was applied, its answer lost`);
    if (this.plan.crashAfter !== undefined && this.portCalls >= this.plan.crashAfter) {
      this.crashed = true;
      throw new Crash(`the process died after port call ${this.portCalls}`);
    }
    return result;
  }
}

/** Every method of `target` run through the injector; `writes` names the methods that write. */
export function withFaults<T extends object>(
  target: T,
  injector: FaultInjector,
  kind: 'store' | 'gateway',
  writes: ReadonlySet<string>,
): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) =>
        injector.call(kind, writes.has(property), () => Promise.resolve(value.apply(object, args)));
    },
  });
}
