/**
 * The charge queue on SQS: the message body is the JSON of a `ChargeMessage` (ids and a period, never
 * card data), sent in batches of up to 10.
 */
import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { lazy } from '../lazy';
import * as z from '../zod';
import type { ChargeMessage, ChargeQueue } from './ports';

/** Built on the first message read, not at cold start. */
const chargeMessageSchema = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    storefrontId: z.string().check(z.minLength(1)),
    subscriptionId: z.string().check(z.minLength(1)),
    periodStart: z.isoDatetime(),
    attempt: z.number().check(z.int(), z.gte(0)),
  }),
);

/** A message body that is not a charge message: it can never succeed, so it ends in the dead-letter queue. */
export class InvalidChargeMessageError extends Error {
  override readonly name = 'InvalidChargeMessageError';
}

/** Entries SQS still refused after every retry; the selector's run fails and the scheduler retries it. */
export class ChargeQueueError extends Error {
  override readonly name = 'ChargeQueueError';
}

export const encodeChargeMessage = (message: ChargeMessage): string => JSON.stringify(message);

export function decodeChargeMessage(body: string): ChargeMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new InvalidChargeMessageError('the message body is not JSON');
  }
  const result = chargeMessageSchema().safeParse(parsed);
  if (!result.success) throw new InvalidChargeMessageError('the message body is not a charge message');
  return result.data;
}

/** Sends to SQS, resending the entries of a batch that SQS refused (throttling) up to `attempts` times. */
export class SqsChargeQueue implements ChargeQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly attempts = 3,
  ) {}

  async send(messages: readonly ChargeMessage[]): Promise<void> {
    let entries: SendMessageBatchRequestEntry[] = messages.map((message, index) => ({
      Id: String(index),
      MessageBody: encodeChargeMessage(message),
    }));
    for (let attempt = 1; entries.length > 0; attempt += 1) {
      const { Failed = [] } = await this.sqs.send(
        new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }),
      );
      if (Failed.length === 0) return;
      if (attempt >= this.attempts || Failed.some((failure) => failure.SenderFault)) {
        const codes = [...new Set(Failed.map((failure) => failure.Code))].join(', ');
        throw new ChargeQueueError(`SQS refused ${Failed.length} charge message(s): ${codes}`);
      }
      const failedIds = new Set(Failed.map((failure) => failure.Id));
      entries = entries.filter((entry) => failedIds.has(entry.Id));
    }
  }
}
