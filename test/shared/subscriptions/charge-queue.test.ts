import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import {
  ChargeQueueError,
  decodeChargeMessage,
  encodeChargeMessage,
  InvalidChargeMessageError,
  SqsChargeQueue,
} from '../../../shared/subscriptions/charge-queue';
import type { ChargeMessage } from '../../../shared/subscriptions/ports';

const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/000000000000/charges';
const sqs = mockClient(SQSClient);

const message = (n: number): ChargeMessage => ({
  storefrontId: 'sf_a',
  subscriptionId: `sub_${n}`,
  periodStart: '2026-12-01T00:00:00.000Z',
  attempt: 0,
});

beforeEach(() => sqs.reset());

describe('Class: SqsChargeQueue', () => {
  it('sends the batch as one SendMessageBatch with one JSON body per charge', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });

    await new SqsChargeQueue(new SQSClient({}), QUEUE_URL).send([message(1), message(2)]);

    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({
      QueueUrl: QUEUE_URL,
      Entries: [
        { Id: '0', MessageBody: encodeChargeMessage(message(1)) },
        { Id: '1', MessageBody: encodeChargeMessage(message(2)) },
      ],
    });
  });

  it('resends only the entries SQS refused', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Failed: [{ Id: '1', Code: 'ThrottlingException', SenderFault: false }] })
      .resolves({ Failed: [] });

    await new SqsChargeQueue(new SQSClient({}), QUEUE_URL).send([message(1), message(2)]);

    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.args[0].input.Entries).toEqual([
      { Id: '1', MessageBody: encodeChargeMessage(message(2)) },
    ]);
  });

  it('fails the run when SQS keeps refusing, so that the scheduler retries it', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolves({ Failed: [{ Id: '0', Code: 'ThrottlingException', SenderFault: false }] });

    const sending = new SqsChargeQueue(new SQSClient({}), QUEUE_URL, 3).send([message(1)]);

    await expect(sending).rejects.toThrow(ChargeQueueError);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(3);
  });
});

describe('Function: decodeChargeMessage', () => {
  it('reads back what was encoded', () => {
    expect(decodeChargeMessage(encodeChargeMessage(message(7)))).toEqual(message(7));
  });

  it.each([
    'not json',
    '{}',
    JSON.stringify({ ...message(1), attempt: -1 }),
    JSON.stringify({ ...message(1), x: 1 }),
  ])('refuses %p', (body) => {
    expect(() => decodeChargeMessage(body)).toThrow(InvalidChargeMessageError);
  });
});
