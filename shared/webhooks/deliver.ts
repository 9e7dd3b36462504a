/**
 * One attempt of one delivery (contract: Webhooks). The attempt is claimed first, by a write
 * conditioned on the attempts seen, so two copies of a queue message (or the queue and the sweep)
 * cannot both send it; the claim also pushes the next attempt a lease ahead, so an attempt whose
 * process dies is taken up again by the sweep. Then: 2xx is delivered, 410 disables the endpoint,
 * anything else is retried on the schedule and finally given up (the event stays in `GET /v1/events`).
 */
import { toEventResource } from '../events/event';
import { recordEndpointFailing, recordWebhookAttempt } from '../observability/metrics';
import type { Delivery, DeliveryRef } from './delivery';
import type { WebhookPorts } from './ports';
import type { WebhookAttempt } from './post';
import { retryDelayAfter } from './retry-schedule';
import { webhookHeaders } from './signature';

/** How long a claimed attempt is held: longer than the 15 s POST and the writes around it. */
export const ATTEMPT_LEASE_MS = 60_000;

/** SQS delays a message at most 15 minutes; later attempts wait in the index for the sweep. */
export const MAX_QUEUE_DELAY_SECONDS = 900;

/** How early a queued attempt may arrive and still be made (clocks and SQS delays are not exact). */
const EARLY_TOLERANCE_MS = 2_000;

/** An endpoint failing this long raises the `WebhookEndpointFailing` metric (and its alarm). */
export const FAILING_ALARM_MS = 3_600_000;

export type AttemptResult = 'delivered' | 'retrying' | 'failed' | 'canceled' | 'skipped';

export async function attemptDelivery(ports: WebhookPorts, ref: DeliveryRef): Promise<AttemptResult> {
  const seen = await ports.deliveries.get(ref);
  const now = ports.clock.now();
  if (seen?.status !== 'scheduled') return 'skipped';
  if (Date.parse(seen.nextAttemptAt) > now.getTime() + EARLY_TOLERANCE_MS) return 'skipped';
  const claimed: Delivery = {
    ...seen,
    attempts: seen.attempts + 1,
    lastAttemptAt: now.toISOString(),
    nextAttemptAt: new Date(now.getTime() + ATTEMPT_LEASE_MS).toISOString(),
  };
  if (!(await ports.deliveries.update(seen, claimed))) return 'skipped';

  const endpoint = await ports.endpoints.get(ref.storefrontId, ref.endpointId);
  const event = await ports.events.get(ref.storefrontId, ref.eventId);
  if (endpoint?.status !== 'enabled' || !event) {
    // Deleted or disabled since, or the event expired: nothing is owed any more.
    const reason = !event ? 'event expired' : endpoint ? 'endpoint disabled' : 'endpoint deleted';
    await ports.deliveries.update(claimed, { ...claimed, status: 'canceled', lastError: reason });
    recordWebhookAttempt('canceled');
    return 'canceled';
  }
  const body = JSON.stringify(toEventResource(event));
  const secret = await ports.secrets.read(endpoint.secretName);
  const attempt = await ports.post(endpoint.url, body, webhookHeaders(secret, event.id, now, body));
  const done = ports.clock.now().toISOString();
  const retryDelay = retryDelayAfter(ports.retrySchedule, claimed.attempts);
  const result = resultOf(attempt, retryDelay);
  const next: Delivery = {
    ...claimed,
    status: result === 'retrying' ? 'scheduled' : result,
    lastStatus: attempt.status,
    ...(attempt.kind === 'delivered' ? { deliveredAt: done } : {}),
    ...(attempt.kind === 'failed' ? { lastError: attempt.error } : {}),
    ...(attempt.kind === 'gone' ? { lastError: 'the endpoint answered 410 Gone and was disabled' } : {}),
    nextAttemptAt: new Date(now.getTime() + (retryDelay ?? 0)).toISOString(),
  };
  await ports.deliveries.update(claimed, next);
  recordWebhookAttempt(result);
  await followUp(ports, endpoint.failingSince, ref, attempt, next, now);
  return result;
}

/** `retryDelay`: the wait before the next attempt, `undefined` when the schedule has none left. */
function resultOf(
  attempt: WebhookAttempt,
  retryDelay: number | undefined,
): Exclude<AttemptResult, 'skipped'> {
  if (attempt.kind === 'delivered') return 'delivered';
  if (attempt.kind === 'gone') return 'canceled';
  return retryDelay === undefined ? 'failed' : 'retrying';
}

/** What the endpoint's answer changes beyond this delivery: its health, and the next attempt's message. */
async function followUp(
  ports: WebhookPorts,
  failingSince: string | undefined,
  ref: DeliveryRef,
  attempt: WebhookAttempt,
  next: Delivery,
  now: Date,
): Promise<void> {
  const { storefrontId, endpointId } = ref;
  if (attempt.kind === 'delivered') {
    if (failingSince !== undefined)
      await ports.endpoints.setFailingSince(storefrontId, endpointId, undefined);
    return;
  }
  if (attempt.kind === 'gone') {
    await ports.endpoints.disable(storefrontId, endpointId, 'gone', now.toISOString());
    return;
  }
  if (failingSince === undefined)
    await ports.endpoints.setFailingSince(storefrontId, endpointId, now.toISOString());
  else if (now.getTime() - Date.parse(failingSince) >= FAILING_ALARM_MS) recordEndpointFailing();
  if (next.status !== 'scheduled') return;
  const delaySeconds = Math.ceil((Date.parse(next.nextAttemptAt) - now.getTime()) / 1000);
  // A longer wait is kept by the delivery's place in the `work` index, where the sweep finds it.
  if (delaySeconds <= MAX_QUEUE_DELAY_SECONDS) {
    await ports.queue.send([ref], Math.max(0, delaySeconds)).catch(() => undefined);
  }
}
