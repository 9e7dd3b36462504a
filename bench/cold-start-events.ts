/**
 * The one request each function answers in the cold-start benchmark, as AWS would send it: an API
 * Gateway HTTP API (payload 2.0) event behind the storefront authorizer, the authorizer's own event,
 * the scheduler's `{ scheduledTime }`, an SQS batch of one message (a charge, a webhook delivery), or
 * the table's stream record of an item whose outbox holds an event. Also how to tell that the answer
 * was a success, since a timing of a refused request would measure the wrong path.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import {
  type GatewayRequest,
  gatewayHeaders,
  newGatewayRequestId,
  toAuthorizerEventV2,
  toProxyEventV2,
} from '../infra/local/http-api-event';
import { localAccountId, localRegion } from '../infra/local/local-aws';
import { matchRoute } from '../infra/local/route-matcher';
import { apiRoutes, type FunctionName, type HttpMethod } from '../infra/routes';
import { encodeChargeMessage } from '../shared/subscriptions/charge-queue';
import { BENCH_CUSTOMER, BENCH_STOREFRONT, type ColdStartWorld } from './cold-start-world';

/**
 * The event of run `run` (0-based) of `name`; every POST carries an Idempotency-Key of its own. For
 * `events-relay`, first makes the run's relay work (a declined sale, whose delivery `webhook-delivery`
 * of the same run then makes).
 */
export async function eventFor(world: ColdStartWorld, name: FunctionName, run: number): Promise<unknown> {
  const { saleId, cardId } = world.seeded;
  const key = { 'idempotency-key': `bench-${name}-${run}-${randomUUID()}` };
  switch (name) {
    case 'authorizer':
      return authorizerEvent();
    case 'health':
      return apiEvent('GET', '/health');
    case 'jwt-sale': {
      const body = {
        amount: '25.00',
        jwt: world.sandbox.issueJwt(),
        customerId: BENCH_CUSTOMER,
        saveCard: true,
      };
      return apiEvent('POST', '/v1/sales/jwt', body, key);
    }
    case 'token-sale':
      return apiEvent(
        'POST',
        '/v1/sales/token',
        { amount: '25.00', customerId: BENCH_CUSTOMER, cardId },
        key,
      );
    case 'refund':
      return apiEvent('POST', '/v1/refunds', { transactionId: saleId, amount: '1.00' }, key);
    case 'transactions':
      return apiEvent('GET', `/v1/transactions/${saleId}`);
    case 'cards':
      return apiEvent('GET', `/v1/customers/${BENCH_CUSTOMER}/cards`);
    case 'subscriptions': {
      const body = { customerId: BENCH_CUSTOMER, cardId, amount: '19.99', interval: 'month' };
      return apiEvent('POST', '/v1/subscriptions', body, key);
    }
    case 'recurring-selector':
    case 'reconciliation':
    case 'webhook-sweep':
      return { scheduledTime: new Date().toISOString() };
    case 'recurring-worker':
      return chargeEvent(world, run);
    case 'events':
      return apiEvent('GET', '/v1/events', undefined, {}, 'limit=10');
    case 'webhook-endpoints': {
      // An event type no benchmarked request causes: the relays' work does not grow with the runs.
      const body = { url: 'http://127.0.0.1:9/bench-hook', events: ['subscription.canceled'] };
      return apiEvent('POST', '/v1/webhook-endpoints', body, key);
    }
    case 'events-relay':
      return streamEvent((await world.relayWork(run)).key);
    case 'webhook-delivery':
      return sqsEvent(JSON.stringify((await world.relayWork(run)).delivery), run);
  }
}

/** Why `answer` is not a successful answer to run `run` of `name`; undefined when it is one. */
export async function problemWith(
  world: ColdStartWorld,
  name: FunctionName,
  run: number,
  answer: unknown,
): Promise<string | undefined> {
  const fields = (typeof answer === 'object' && answer !== null ? answer : {}) as Record<string, unknown>;
  switch (name) {
    case 'authorizer': {
      const context = fields.context as { storefrontId?: string } | undefined;
      return context?.storefrontId === BENCH_STOREFRONT.storefrontId ? undefined : 'the key was refused';
    }
    case 'recurring-selector':
      return typeof fields.due === 'number' && fields.due > 0 ? undefined : 'no charge was queued';
    case 'reconciliation':
      return fields.complete === true ? undefined : 'the run did not read every shard';
    case 'webhook-sweep':
      return typeof fields.published === 'number' && typeof fields.queued === 'number'
        ? undefined
        : 'no sweep summary';
    case 'events-relay': {
      if (!Array.isArray(fields.batchItemFailures) || fields.batchItemFailures.length > 0) {
        return 'the stream record failed';
      }
      const { delivery } = await world.relayWork(run);
      const event = await world.webhooks.events.get(delivery.storefrontId, delivery.eventId);
      return event ? undefined : 'the event was not published';
    }
    case 'webhook-delivery': {
      if (!Array.isArray(fields.batchItemFailures) || fields.batchItemFailures.length > 0) {
        return 'the delivery message failed';
      }
      const delivery = await world.webhooks.deliveries.get((await world.relayWork(run)).delivery);
      return delivery?.status === 'delivered' ? undefined : `the delivery is ${delivery?.status}`;
    }
    case 'recurring-worker': {
      const failures = fields.batchItemFailures as unknown[] | undefined;
      if (failures === undefined || failures.length > 0) return 'the charge message failed';
      const { storefrontId } = BENCH_STOREFRONT;
      const subscription = await world.subscriptions.get(storefrontId, world.seeded.workerSubscription(run));
      return subscription?.lastTransactionId ? undefined : 'the subscription was not charged';
    }
    default: {
      const status = fields.statusCode;
      return typeof status === 'number' && status >= 200 && status < 300 ? undefined : `answered ${status}`;
    }
  }
}

function gatewayRequest(
  method: HttpMethod,
  rawPath: string,
  body?: object,
  extraHeaders = {},
  rawQueryString = '',
): GatewayRequest {
  const timeEpoch = Date.now();
  const raw = Object.entries({
    host: 'api.payments.example',
    'user-agent': 'payments-bench',
    authorization: `Bearer ${BENCH_STOREFRONT.apiKey}`,
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    ...extraHeaders,
  }).flat();
  const { headers, cookies } = gatewayHeaders(raw, { sourceIp: '127.0.0.1', localPort: 443, timeEpoch });
  return {
    method,
    rawPath,
    rawQueryString,
    headers,
    cookies,
    body: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
    sourceIp: '127.0.0.1',
    localPort: 443,
    protocol: 'HTTP/1.1',
    requestId: newGatewayRequestId(),
    timeEpoch,
  };
}

function routeOf(method: HttpMethod, rawPath: string) {
  const match = matchRoute(apiRoutes, method, rawPath);
  if (!match) throw new Error(`no route for ${method} ${rawPath}`);
  return match;
}

function apiEvent(method: HttpMethod, rawPath: string, body?: object, headers = {}, query = '') {
  const match = routeOf(method, rawPath);
  const authorizer = match.route.authorized ? { storefrontId: BENCH_STOREFRONT.storefrontId } : undefined;
  return toProxyEventV2(gatewayRequest(method, rawPath, body, headers, query), match, authorizer);
}

/** What the authorizer sees in front of a sale. */
function authorizerEvent() {
  const request = gatewayRequest('POST', '/v1/sales/jwt', {});
  const identity = request.headers.authorization ?? '';
  return toAuthorizerEventV2(request, routeOf('POST', '/v1/sales/jwt'), [identity]);
}

function chargeEvent(world: ColdStartWorld, run: number): SQSEvent {
  const body = encodeChargeMessage({
    storefrontId: BENCH_STOREFRONT.storefrontId,
    subscriptionId: world.seeded.workerSubscription(run),
    periodStart: world.seeded.periodStart,
    attempt: 0,
  });
  return sqsEvent(body, run, 'recurring');
}

/** The stream record of an item written with its outbox (the stack's filter passes only those). */
function streamEvent(key: { pk: string; sk: string }): DynamoDBStreamEvent {
  const keys = { pk: { S: key.pk }, sk: { S: key.sk } };
  return {
    Records: [
      {
        eventID: randomUUID().replaceAll('-', ''),
        eventName: 'MODIFY',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: localRegion,
        dynamodb: {
          ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
          Keys: keys,
          NewImage: keys,
          SequenceNumber: String(Date.now()),
          SizeBytes: 200,
          StreamViewType: 'NEW_IMAGE',
        },
        eventSourceARN: `arn:aws:dynamodb:${localRegion}:${localAccountId}:table/payments-bench/stream/bench`,
      },
    ],
  };
}

function sqsEvent(body: string, run: number, queue = 'webhooks'): SQSEvent {
  const now = String(Date.now());
  return {
    Records: [
      {
        messageId: randomUUID(),
        receiptHandle: `bench-receipt-${run}`,
        body,
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: now,
          SenderId: localAccountId,
          ApproximateFirstReceiveTimestamp: now,
        },
        messageAttributes: {},
        md5OfBody: createHash('md5').update(body).digest('hex'),
        eventSource: 'aws:sqs',
        eventSourceARN: `arn:aws:sqs:${localRegion}:${localAccountId}:payments-bench-${queue}`,
        awsRegion: localRegion,
      },
    ],
  };
}
