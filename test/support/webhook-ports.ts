/**
 * Webhook ports over a test table for domain tests: the real stores, a clock the test moves, secrets in
 * memory, a queue that only records what it was asked (the test makes the attempts), and the real POST
 * (loopback allowed, short timeout).
 */

import { createCursorCodec } from '../../shared/store/cursor';
import { DynamoEventStore } from '../../shared/store/events';
import { DynamoOutboxStore } from '../../shared/store/outbox';
import { DynamoDeliveryStore } from '../../shared/store/webhook-deliveries';
import { DynamoEndpointStore } from '../../shared/store/webhook-endpoints';
import type { DeliveryRef } from '../../shared/webhooks/delivery';
import type { WebhookPorts } from '../../shared/webhooks/ports';
import { postWebhook } from '../../shared/webhooks/post';
import type { TestTable } from './local-table';

export interface TestClock {
  now(): Date;
  set(iso: string): void;
  advance(ms: number): void;
}

export function testClock(start: string): TestClock {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (iso) => {
      current = new Date(iso);
    },
    advance: (ms) => {
      current = new Date(current.getTime() + ms);
    },
  };
}

export interface TestWebhookPorts extends WebhookPorts {
  clock: TestClock;
  /** What the queue was asked, in order. */
  queued: { refs: DeliveryRef[]; delaySeconds: number }[];
  secretValues: Map<string, string>;
}

export const testCursorSecret = 'test-cursor-secret-not-secret-0123456789';

export function testWebhookPorts(
  table: TestTable,
  options: { clock: TestClock; retrySchedule?: number[]; timeoutMs?: number },
): TestWebhookPorts {
  const queued: TestWebhookPorts['queued'] = [];
  const secretValues = new Map<string, string>();
  return {
    outbox: new DynamoOutboxStore(table.db, table.tableName),
    events: new DynamoEventStore(
      table.db,
      table.tableName,
      async () => createCursorCodec(testCursorSecret),
      options.clock,
    ),
    endpoints: new DynamoEndpointStore(table.db, table.tableName),
    deliveries: new DynamoDeliveryStore(table.db, table.tableName),
    queue: {
      send: async (refs, delaySeconds) => {
        queued.push({ refs: [...refs], delaySeconds });
      },
    },
    secrets: {
      create: async (name, value) => {
        if (!secretValues.has(name)) secretValues.set(name, value);
      },
      read: async (name) => {
        const value = secretValues.get(name);
        if (value === undefined) throw new Error(`no secret ${name}`);
        return value;
      },
      remove: async (name) => {
        secretValues.delete(name);
      },
    },
    clock: options.clock,
    post: (url, body, headers) =>
      postWebhook(url, body, headers, { timeoutMs: options.timeoutMs ?? 2_000, allowLoopback: true }),
    retrySchedule: options.retrySchedule ?? [5_000, 300_000],
    secretName: (storefrontId, endpointId) => `/test/${storefrontId}/webhooks/${endpointId}`,
    queued,
    secretValues,
  };
}
