/**
 * The delivery queue on SQS: the message body is the JSON of a `DeliveryRef` (ids only, never the
 * event or a secret). A message only asks for an attempt; the delivery item says whether one is due.
 */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { endpointIdSchema, eventIdSchema } from '../http/validation';
import { lazy } from '../lazy';
import * as z from '../zod';
import type { DeliveryRef } from './delivery';
import type { DeliveryQueue } from './ports';

/** Built on the first message read, not at cold start. */
const refSchema = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    storefrontId: z.string().check(z.minLength(1), z.maxLength(200)),
    eventId: eventIdSchema(),
    endpointId: endpointIdSchema(),
  }),
);

/** A body that is not a delivery reference can never succeed: it goes to the dead-letter queue. */
export class InvalidDeliveryMessageError extends Error {
  override readonly name = 'InvalidDeliveryMessageError';
}

export function decodeDeliveryMessage(body: string): DeliveryRef {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new InvalidDeliveryMessageError('the message body is not JSON');
  }
  const result = refSchema().safeParse(parsed);
  if (!result.success) throw new InvalidDeliveryMessageError('the message body is not a delivery reference');
  return result.data;
}

export class SqsDeliveryQueue implements DeliveryQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(refs: readonly DeliveryRef[], delaySeconds: number): Promise<void> {
    for (let start = 0; start < refs.length; start += 10) {
      const batch = refs.slice(start, start + 10);
      const { Failed = [] } = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((ref, index) => ({
            Id: String(index),
            MessageBody: JSON.stringify(ref),
            DelaySeconds: Math.round(delaySeconds),
          })),
        }),
      );
      // The delivery is in the index either way: the sweep asks for it within a minute.
      if (Failed.length > 0) throw new Error(`SQS refused ${Failed.length} delivery message(s)`);
    }
  }
}
