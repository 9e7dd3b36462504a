/**
 * The real adapters behind the webhook ports, built once per container from the environment. The
 * queue is SQS unless one is given (the local runtime gives its in-process queue).
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  tableName,
  webhookAllowLoopback,
  webhookQueueUrl,
  webhookRetrySchedule,
  webhookSecretName,
} from '../config';
import { sdkLogger } from '../observability/sdk-logger';
import { liveCursorCodec } from '../secrets/cursor-secret';
import { SecretsManagerWebhookSecrets } from '../secrets/webhook-secrets';
import { documentClient } from '../store/dynamo';
import { DynamoEventStore } from '../store/events';
import { DynamoOutboxStore } from '../store/outbox';
import { DynamoDeliveryStore } from '../store/webhook-deliveries';
import { DynamoEndpointStore } from '../store/webhook-endpoints';
import { SqsDeliveryQueue } from './delivery-queue';
import type { DeliveryQueue, WebhookPorts } from './ports';
import { postWebhook, WEBHOOK_TIMEOUT_MS } from './post';

let ports: WebhookPorts | undefined;

export function liveWebhookPorts(): WebhookPorts {
  ports ??= createWebhookPorts();
  return ports;
}

/** @example createWebhookPorts(localQueue) */
export function createWebhookPorts(queue?: DeliveryQueue): WebhookPorts {
  const db = documentClient();
  const table = tableName();
  const allowLoopback = webhookAllowLoopback();
  return {
    outbox: new DynamoOutboxStore(db, table),
    events: new DynamoEventStore(db, table, liveCursorCodec),
    endpoints: new DynamoEndpointStore(db, table),
    deliveries: new DynamoDeliveryStore(db, table),
    queue: queue ?? new SqsDeliveryQueue(new SQSClient({ logger: sdkLogger }), webhookQueueUrl()),
    secrets: new SecretsManagerWebhookSecrets(),
    clock: { now: () => new Date() },
    post: (url, body, headers) =>
      postWebhook(url, body, headers, { timeoutMs: WEBHOOK_TIMEOUT_MS, allowLoopback }),
    retrySchedule: webhookRetrySchedule(),
    secretName: webhookSecretName,
  };
}
