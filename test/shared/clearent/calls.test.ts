import { readCharge, readTransactions } from '../../../shared/clearent/answers';
import { type CallPlan, createCallRunner, toGatewayError } from '../../../shared/clearent/calls';
import { MalformedAnswerError } from '../../../shared/clearent/envelope';
import {
  GatewayAuthenticationError,
  GatewayOutcomeUnknownError,
  GatewayUnavailableError,
} from '../../../shared/clearent/errors';
import { type HttpAnswer, type HttpRequest, TransportFailure } from '../../../shared/clearent/transport';
import type { GatewayCallRecord, GatewayTransaction } from '../../../shared/clearent/types';
import { jsonApprovalWithTokenLink, jsonLookupList } from './fixtures';

/** A transport that plays a script: each step answers or fails one attempt. */
function scriptedTransport(script: Array<HttpAnswer | TransportFailure>) {
  const requests: HttpRequest[] = [];
  const send = async (request: HttpRequest): Promise<HttpAnswer> => {
    requests.push(request);
    const step = script[requests.length - 1];
    if (step === undefined) throw new Error('script exhausted');
    if (step instanceof TransportFailure) throw step;
    return step;
  };
  return { send, requests };
}

const staleSocket = () => new TransportFailure('socket hang up', false, true, false);
const approval: HttpAnswer = {
  status: 200,
  contentType: 'application/json',
  body: jsonApprovalWithTokenLink,
};

const salePlan: CallPlan<GatewayTransaction> = {
  operation: 'tokenSale',
  request: { method: 'POST', path: '/rest/v2/transactions/sale', headers: {}, body: '{}' },
  pathTemplate: '/rest/v2/transactions/sale',
  mayCharge: true,
  retryable: false,
  read: (answer) => readCharge(answer, 'SALE'),
};

describe('Function: createCallRunner', () => {
  it('resends a sale once when the kept-alive socket was closed before the request was written', async () => {
    // Prepare
    const records: GatewayCallRecord[] = [];
    const { send, requests } = scriptedTransport([staleSocket(), approval]);
    const run = createCallRunner({ send, maxLookupAttempts: 3, onCall: (record) => records.push(record) });

    // Act
    const sale = await run(salePlan);

    // Assess
    expect(sale.outcome).toBe('approved');
    expect(requests).toHaveLength(2);
    expect(records.map((record) => [record.attempt, record.error])).toStrictEqual([
      [1, 'GatewayUnavailableError'],
      [2, undefined],
    ]);
  });

  it('resends after a stale socket only once', async () => {
    // Prepare
    const { send, requests } = scriptedTransport([staleSocket(), staleSocket(), approval]);
    const run = createCallRunner({ send, maxLookupAttempts: 3 });

    // Act
    const sale = run(salePlan);

    // Assess
    await expect(sale).rejects.toBeInstanceOf(GatewayUnavailableError);
    expect(requests).toHaveLength(2);
  });

  it('does not count a stale socket as a lookup attempt', async () => {
    // Prepare
    const unavailable: HttpAnswer = { status: 503, contentType: '', body: '' };
    const found: HttpAnswer = { status: 200, contentType: 'application/json', body: jsonLookupList };
    const { send, requests } = scriptedTransport([staleSocket(), unavailable, unavailable, found]);
    const run = createCallRunner({ send, maxLookupAttempts: 3 });

    // Act
    const transactions = await run({
      ...salePlan,
      operation: 'getTransaction',
      mayCharge: false,
      retryable: true,
      read: readTransactions,
    });

    // Assess
    expect(transactions).toHaveLength(1);
    expect(requests).toHaveLength(4);
  });

  it('does not retry an authentication failure, even on a lookup', async () => {
    // Prepare
    const { send, requests } = scriptedTransport([{ status: 401, contentType: '', body: '' }]);
    const run = createCallRunner({ send, maxLookupAttempts: 3 });

    // Act
    const lookup = run({ ...salePlan, mayCharge: false, retryable: true, read: readTransactions });

    // Assess
    await expect(lookup).rejects.toBeInstanceOf(GatewayAuthenticationError);
    expect(requests).toHaveLength(1);
  });
});

describe('Function: toGatewayError', () => {
  it.each([
    [
      'an unreadable answer to a charge',
      new MalformedAnswerError('bad', 200),
      true,
      GatewayOutcomeUnknownError,
    ],
    [
      'an unreadable answer to a lookup',
      new MalformedAnswerError('bad', 200),
      false,
      GatewayUnavailableError,
    ],
    [
      'a request that never left',
      new TransportFailure('refused', false, false, false),
      true,
      GatewayUnavailableError,
    ],
    [
      'a charge sent without answer',
      new TransportFailure('timeout', true, false, true),
      true,
      GatewayOutcomeUnknownError,
    ],
    [
      'a lookup sent without answer',
      new TransportFailure('timeout', true, false, true),
      false,
      GatewayUnavailableError,
    ],
    ['a bug in a charge', new TypeError('oops'), true, GatewayOutcomeUnknownError],
  ])('maps %s to its gateway error', (_case, caught, mayCharge, expected) => {
    // Act
    const error = toGatewayError(caught, mayCharge);

    // Assess
    expect(error).toBeInstanceOf(expected);
  });
});
