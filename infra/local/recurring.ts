/**
 * `POST /_local/run-recurring`: the scheduled run, in this process. The selector fills an in-memory
 * queue that stands in for SQS and workers drain it at the same time, with SQS's semantics: a charge
 * that throws is delivered again (at once: there is no visibility timeout to wait for locally), up to
 * `maxDeliveries` times (the stack's redrive count), then counted as failed. The run answers once every
 * queued charge has finished.
 */
import type { ChargeMessage, DueSubscriptions, RecurringPorts } from '../../shared/subscriptions/ports';
import { asInvocationOf } from './lambda-context';
import { type LocalRoute, scheduledRunOf } from './local-routes';

export interface RecurringRunOptions {
  /** Charges in flight at once, like the worker's maxConcurrency × batch size; default 10. */
  concurrency?: number;
  /** Deliveries of a charge before it is given up (counted failed); default 5, as the stack's queue. */
  maxDeliveries?: number;
}

export interface RecurringRunSummary {
  scheduledTime: string;
  /** Charges the selector queued. */
  due: number;
  /** Charges that reached an outcome: approved + declined. */
  charged: number;
  approved: number;
  /** Declined by the gateway, or refused before it (card removed or expired). */
  declined: number;
  /** Charges still unsettled after every delivery (gateway unreachable, outcome unknown). */
  failed: number;
  /** Messages that no longer matched their subscription (already charged, canceled). */
  skipped: number;
}

/** The worker's ports and the selector's due index: the run is both functions. */
export interface RecurringRunPorts extends RecurringPorts {
  due: DueSubscriptions;
}

interface Delivery {
  message: ChargeMessage;
  count: number;
}

/**
 * Runs the selector at `scheduledTime` and the worker on everything it queued.
 * @example const summary = await runRecurring(ports, new Date('2026-12-24T00:00:00Z'));
 */
export async function runRecurring(
  ports: RecurringRunPorts,
  scheduledTime: Date,
  options: RecurringRunOptions = {},
): Promise<RecurringRunSummary> {
  const maxDeliveries = options.maxDeliveries ?? 5;
  const counts = { approved: 0, declined: 0, failed: 0, skipped: 0 };
  const queue: Delivery[] = [];
  let selecting = true;
  // Idle workers all wait on one promise; each arrival (or the end of selection) wakes every one.
  let wake: () => void = () => {};
  let arrival = new Promise<void>((resolve) => (wake = resolve));
  const notify = () => {
    const wakeAll = wake;
    arrival = new Promise<void>((resolve) => (wake = resolve));
    wakeAll();
  };

  const { selectDueCharges, chargeSubscription } = recurringDomain();
  const deliver = async (delivery: Delivery) => {
    try {
      const { result } = await asInvocationOf('recurring-worker', () =>
        chargeSubscription(ports, delivery.message),
      );
      counts[result] += 1;
    } catch {
      if (delivery.count < maxDeliveries) queue.push({ ...delivery, count: delivery.count + 1 });
      else counts.failed += 1;
    }
  };
  const worker = async () => {
    for (;;) {
      const next = queue.shift();
      if (next) await deliver(next);
      else if (selecting) await arrival;
      else return;
    }
  };

  const workers = Array.from({ length: options.concurrency ?? 10 }, worker);
  const selected = asInvocationOf('recurring-selector', () =>
    selectDueCharges(
      {
        due: ports.due,
        queue: {
          send: async (messages) => {
            queue.push(...messages.map((message) => ({ message, count: 1 })));
            notify();
          },
        },
      },
      scheduledTime,
    ),
  ).finally(() => {
    selecting = false;
    notify();
  });
  // What was queued is charged even if selection fails part-way; its failure is then reported.
  await Promise.allSettled([selected, ...workers]);
  const selection = await selected;
  return {
    scheduledTime: selection.scheduledTime,
    due: selection.due,
    charged: counts.approved + counts.declined,
    ...counts,
  };
}

/**
 * The selector and the worker, as their functions run them, imported on the first run: they load the
 * logger, which reads the environment the local runtime sets (its service name, its level) as it loads.
 */
function recurringDomain() {
  const {
    selectDueCharges,
  }: typeof import('../../shared/subscriptions/selector') = require('../../shared/subscriptions/selector');
  const {
    chargeSubscription,
  }: typeof import('../../shared/subscriptions/worker') = require('../../shared/subscriptions/worker');
  return { selectDueCharges, chargeSubscription };
}

/**
 * The live ports, imported on the first run: after the local runtime has set the environment that the
 * adapters (and the logger and metrics they share with the handlers) read when they load.
 */
async function liveRecurringPortsOnDemand(): Promise<RecurringRunPorts> {
  const live: typeof import('../../shared/subscriptions/live-ports') = require('../../shared/subscriptions/live-ports');
  return { ...live.liveRecurringPorts(), due: live.liveDueSubscriptions() };
}

/**
 * The local route. The run sees the clock at `now` (moving on from it), as a Lambda run at that time would.
 * @example startLocalRuntime({ localRoutes: { [runRecurringPath]: runRecurringRoute() } });
 */
export function runRecurringRoute(
  ports: () => Promise<RecurringRunPorts> = liveRecurringPortsOnDemand,
  options: RecurringRunOptions = {},
): LocalRoute {
  return async (body) => {
    const run = scheduledRunOf(body);
    if ('refusal' in run) return run.refusal;
    return {
      statusCode: 200,
      body: await runRecurring({ ...(await ports()), clock: run.clock }, run.now, options),
    };
  };
}
