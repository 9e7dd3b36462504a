import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { loadFunctionFromSource } from '../../../infra/local/function-loader';
import { lambdaContext } from '../../../infra/local/lambda-context';
import type { LocalRuntime } from '../../../infra/local/runtime';
import type { ChargeMessage } from '../../../shared/subscriptions/ports';
import { send } from '../../infra/local/http-client';
import { callApi, saveCard, startRuntime } from '../recurring-support';

let local: LocalRuntime;

beforeAll(async () => {
  local = await startRuntime();
});
afterAll(() => local.close());

function record(messageId: string, body: string): SQSRecord {
  return {
    messageId,
    receiptHandle: `handle-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1764000000000',
      SenderId: 'AIDALOCAL',
      ApproximateFirstReceiveTimestamp: '1764000000000',
    },
    messageAttributes: {},
    md5OfBody: 'not-checked',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:charges',
    awsRegion: 'us-east-1',
  };
}

async function invokeWorker(event: SQSEvent): Promise<SQSBatchResponse> {
  // Loaded after the runtime has set the environment, as Lambda loads it with the stack's.
  const { handler } = await loadFunctionFromSource('recurring-worker');
  return (await handler(
    event,
    lambdaContext('recurring-worker', Date.now() + 120_000, 512),
  )) as SQSBatchResponse;
}

async function approvedSales(): Promise<{ amount: number; invoice?: string }[]> {
  const response = await send(`${local.sandbox?.url}/_sandbox/ledger`);
  const { transactions } = response.json() as {
    transactions: { type: string; result: string; amount: number; invoice?: string }[];
  };
  return transactions.filter((t) => t.type === 'SALE' && t.result === 'APPROVED');
}

describe('Function: recurring-worker handler', () => {
  it('charges each due message once and reports only the messages that failed', async () => {
    // Prepare
    const cardId = await saveCard(local, 'cus_worker');
    const created = await callApi(local, '/v1/subscriptions', {
      method: 'POST',
      key: 'worker-sub',
      body: { customerId: 'cus_worker', cardId, amount: '7.77', interval: 'week' },
    });
    const subscription = created.json() as { id: string; nextChargeAt: string };
    const charge: ChargeMessage = {
      storefrontId: 'shop1',
      subscriptionId: subscription.id,
      periodStart: subscription.nextChargeAt,
      attempt: 0,
    };
    const salesBefore = (await approvedSales()).length;

    // Act
    const response = await invokeWorker({
      Records: [record('m-charge', JSON.stringify(charge)), record('m-garbage', 'not a charge')],
    });
    const again = await invokeWorker({ Records: [record('m-redelivered', JSON.stringify(charge))] });

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-garbage' }] });
    expect(again).toEqual({ batchItemFailures: [] });
    const sales = await approvedSales();
    expect(sales).toHaveLength(salesBefore + 1);
    expect(sales.at(-1)).toMatchObject({ amount: 777 });
    const read = (await callApi(local, `/v1/subscriptions/${subscription.id}`)).json() as {
      nextChargeAt: string;
    };
    const oneWeekOn = new Date(new Date(subscription.nextChargeAt).getTime() + 7 * 86_400_000).toISOString();
    expect(read.nextChargeAt).toBe(oneWeekOn);
  });
});
