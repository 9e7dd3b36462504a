/**
 * Webhooks on this machine: the same relay, sweep and delivery code as deployed (shared/webhooks/),
 * with an in-process queue in place of SQS and a nudge in place of the DynamoDB stream. After every
 * API answer the sweep runs (so events are published within moments, like the stream); queued
 * attempts run after their delay on timers; and a slow periodic sweep takes up whatever waits longer
 * (a sale's `pending` event, retries beyond a timer, work left by a previous run of `npm start`).
 * Deliveries are real HTTP POSTs, to endpoints on this machine too (WEBHOOK_ALLOW_LOOPBACK).
 */
import type { DeliveryRef } from '../../shared/webhooks/delivery';
import type { DeliveryQueue } from '../../shared/webhooks/ports';

/** The periodic sweep's interval (each sweep is 16 queries of the embedded DynamoDB). */
const SWEEP_INTERVAL_MS = 30_000;

export interface LocalWebhooksOptions {
  /** Sweep after every API answer, as the stream would publish at once (default true). */
  afterRequests?: boolean;
  /** One line per failure; silent when absent. */
  log?: (line: string) => void;
}

export interface LocalWebhooks {
  /** Asks for a sweep soon (coalesced): what the stream does deployed. */
  nudge(): void;
  /** Runs a sweep now and waits for it and every attempt it started (tests). */
  settle(): Promise<void>;
  /** Stops the timers and waits for the work in flight. */
  close(): Promise<void>;
}

/** Attempts in flight at once, like the delivery function's concurrency. */
const CONCURRENCY = 10;

/**
 * Call after the handlers' environment is applied: the ports read it, and the domain's logger reads it
 * when it loads, which is why the domain is loaded here and not when this module is imported.
 */
export function startLocalWebhooks(options: LocalWebhooksOptions = {}): LocalWebhooks {
  const {
    attemptDelivery,
  }: typeof import('../../shared/webhooks/deliver') = require('../../shared/webhooks/deliver');
  const {
    createWebhookPorts,
  }: typeof import('../../shared/webhooks/live-ports') = require('../../shared/webhooks/live-ports');
  const { sweep }: typeof import('../../shared/webhooks/sweep') = require('../../shared/webhooks/sweep');
  const log = options.log ?? (() => {});
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<unknown>>();
  const waiting: DeliveryRef[] = [];
  let running = 0;
  let closed = false;

  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work)).catch(() => undefined);
    return work;
  };
  const pump = () => {
    while (!closed && running < CONCURRENCY && waiting.length > 0) {
      const ref = waiting.shift() as DeliveryRef;
      running += 1;
      track(
        attemptDelivery(ports, ref)
          .catch((error: unknown) => log(`webhook attempt failed: ${describe(error)}`))
          .finally(() => {
            running -= 1;
            pump();
          }),
      );
    }
  };
  const queue: DeliveryQueue = {
    send: async (refs, delaySeconds) => {
      if (closed) return;
      if (delaySeconds <= 0) {
        waiting.push(...refs);
        pump();
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        waiting.push(...refs);
        pump();
      }, delaySeconds * 1000);
      timers.add(timer);
    },
  };
  const ports = createWebhookPorts(queue);

  let sweeping: Promise<void> | undefined;
  let again = false;
  const runSweep = (): Promise<void> => {
    if (closed) return Promise.resolve();
    if (sweeping) {
      again = true;
      return sweeping;
    }
    sweeping = track(
      sweep(ports)
        .then(() => undefined)
        .catch((error: unknown) => log(`webhook sweep failed: ${describe(error)}`))
        .finally(() => {
          sweeping = undefined;
          if (again) {
            again = false;
            void runSweep();
          }
        }),
    );
    return sweeping;
  };
  const interval = setInterval(() => void runSweep(), SWEEP_INTERVAL_MS);
  interval.unref();

  return {
    nudge: () => {
      if (options.afterRequests !== false) void runSweep();
    },
    settle: async () => {
      await runSweep();
      while (!closed && (inFlight.size > 0 || waiting.length > 0)) await Promise.allSettled([...inFlight]);
    },
    close: async () => {
      closed = true;
      clearInterval(interval);
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.allSettled([...inFlight]);
    },
  };
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));
