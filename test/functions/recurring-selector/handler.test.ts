import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { loadFunctionFromSource } from '../../../infra/local/function-loader';
import { lambdaContext } from '../../../infra/local/lambda-context';
import type { LocalRuntime } from '../../../infra/local/runtime';
import { decodeChargeMessage } from '../../../shared/subscriptions/charge-queue';
import type { ChargeMessage } from '../../../shared/subscriptions/ports';
import type { Selection } from '../../../shared/subscriptions/selector';
import { callApi, saveCard, startRuntime } from '../recurring-support';

const sqs = mockClient(SQSClient);
let local: LocalRuntime;

beforeAll(async () => {
  local = await startRuntime();
  process.env.RECURRING_QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/000000000000/charges';
});
afterAll(async () => {
  delete process.env.RECURRING_QUEUE_URL;
  sqs.restore();
  await local.close();
});
beforeEach(() => {
  sqs.reset();
  sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
});

async function invokeSelector(event: unknown): Promise<Selection> {
  // Loaded after the runtime has set the environment, as Lambda loads it with the stack's.
  const { handler } = await loadFunctionFromSource('recurring-selector');
  return (await handler(event, lambdaContext('recurring-selector', Date.now() + 60_000, 512))) as Selection;
}

const queued = (): ChargeMessage[] =>
  sqs
    .commandCalls(SendMessageBatchCommand)
    .flatMap((call) => call.args[0].input.Entries ?? [])
    .map((entry) => decodeChargeMessage(entry.MessageBody ?? ''));

describe('Function: recurring-selector handler', () => {
  it('queues what is due at the scheduled time (not the clock), one message per charge', async () => {
    // Prepare: a subscription starting on 2031-03-15.
    const cardId = await saveCard(local, 'cus_selector');
    const created = await callApi(local, '/v1/subscriptions', {
      method: 'POST',
      key: 'selector-sub',
      body: { customerId: 'cus_selector', cardId, amount: '3.00', interval: 'year', startDate: '2031-03-15' },
    });
    const { id } = created.json() as { id: string };

    // Act
    const before = await invokeSelector({ scheduledTime: '2031-03-14T23:59:59Z' });
    const queuedBefore = queued().filter((message) => message.subscriptionId === id);
    const at = await invokeSelector({ scheduledTime: '2031-03-15T00:00:00Z' });

    // Assess
    expect(before).toMatchObject({ scheduledTime: '2031-03-14T23:59:59.000Z', complete: true });
    expect(queuedBefore).toEqual([]);
    expect(at).toMatchObject({ scheduledTime: '2031-03-15T00:00:00.000Z', complete: true });
    expect(at.due).toBeGreaterThanOrEqual(1);
    expect(queued().filter((message) => message.subscriptionId === id)).toEqual([
      { storefrontId: 'shop1', subscriptionId: id, periodStart: '2031-03-15T00:00:00.000Z', attempt: 0 },
    ]);
  });

  it.each([{}, { scheduledTime: 'yesterday' }])(
    'fails without a scheduled time (%p), queuing nothing',
    async (event) => {
      await expect(invokeSelector(event)).rejects.toThrow('scheduledTime');
      expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
    },
  );
});
