/**
 * The client under faults: what a sale may never do (be sent twice, or be read as a decline when its
 * outcome is unknown), and how lookups recover.
 */
import { createClearentClient } from '../../../shared/clearent/client';
import { GatewayOutcomeUnknownError, GatewayUnavailableError } from '../../../shared/clearent/errors';
import type { GatewayCallRecord } from '../../../shared/clearent/types';
import { parseAmount } from '../../../shared/money';
import { closedPortUrl, type Reply, reply, useFakeGatewayClient } from './fake-gateway';
import { API_KEY, JWT, jsonApprovalWithTokenLink, jsonLookupList } from './fixtures';

/**
 * Short, but not so short that a loaded machine lets the client give up before the fake gateway has even
 * read the request (at 200 ms a full `npm test` on two cores once saw a 504's request not yet received).
 */
const FAST = { timeoutMs: 1_000, maxLookupAttempts: 3 };

const sale = { jwt: JWT, amount: parseAmount('15.55'), createToken: true, invoice: 'txn_1' };

describe('Function: createClearentClient, under faults', () => {
  const clientAnswering = useFakeGatewayClient(FAST);

  describe('Method: jwtSale', () => {
    it.each<[string, Reply, new (...args: never[]) => Error]>([
      // Clearent may answer 5xx after it charged: never "unavailable" for a sale.
      ['a 500', reply(500, '<html>Internal Server Error</html>', 'text/html'), GatewayOutcomeUnknownError],
      ['a 503', reply(503, ''), GatewayOutcomeUnknownError],
      ['a 429', reply(429, ''), GatewayUnavailableError],
      ['a 504 from a proxy', reply(504, ''), GatewayOutcomeUnknownError],
      ['silence until the timeout', 'hang', GatewayOutcomeUnknownError],
      ['a connection dropped after the request was read', 'destroy', GatewayOutcomeUnknownError],
      ['malformed JSON with a 200', reply(200, '{"code":"200","payload":'), GatewayOutcomeUnknownError],
      [
        'a 200 whose transaction has no result',
        reply(200, '{"payload":{"transaction":{"id":"1"}}}'),
        GatewayOutcomeUnknownError,
      ],
      [
        'a 200 without a transaction',
        reply(200, '{"code":"200","status":"success"}'),
        GatewayOutcomeUnknownError,
      ],
      [
        'a 402 saying APPROVED',
        reply(402, '{"payload":{"transaction":{"result":"APPROVED"}}}'),
        GatewayOutcomeUnknownError,
      ],
      [
        'an amount that is not money',
        reply(200, '{"payload":{"transaction":{"result":"APPROVED","amount":"1e3"}}}'),
        GatewayOutcomeUnknownError,
      ],
    ])(
      'answered with %s: rejects with the right error and sends the sale once',
      async (_fault, answer, expected) => {
        // Prepare
        const { client, received } = await clientAnswering(() => answer);

        // Act
        const error: unknown = await client.jwtSale(sale).catch((caught: unknown) => caught);

        // Assess
        expect(error).toBeInstanceOf(expected);
        expect(received).toHaveLength(1);
      },
    );

    it('rejects as unavailable when nothing listens (connection refused)', async () => {
      // Prepare
      const records: GatewayCallRecord[] = [];
      const client = createClearentClient({
        baseUrl: await closedPortUrl(),
        apiKey: API_KEY,
        ...FAST,
        onCall: (record) => records.push(record),
      });

      // Act
      const error: unknown = await client.jwtSale(sale).catch((caught: unknown) => caught);

      // Assess
      expect(error).toBeInstanceOf(GatewayUnavailableError);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ error: 'GatewayUnavailableError', attempt: 1 });
    });

    it('does not resend a sale whose kept-alive socket dropped after the request was written', async () => {
      // Prepare
      const { client, received } = await clientAnswering((index) =>
        index === 0 ? reply(200, jsonLookupList) : 'destroy',
      );
      await client.getTransaction('118810621');

      // Act
      const error: unknown = await client.jwtSale(sale).catch((caught: unknown) => caught);

      // Assess
      expect(error).toBeInstanceOf(GatewayOutcomeUnknownError);
      expect(received.map((request) => request.method)).toStrictEqual(['GET', 'POST']);
    });

    it('still charges when the onCall logger throws', async () => {
      // Prepare
      const { client } = await clientAnswering(() => reply(200, jsonApprovalWithTokenLink), {
        onCall: () => {
          throw new Error('logger down');
        },
      });

      // Act
      const charged = await client.jwtSale(sale);

      // Assess
      expect(charged.outcome).toBe('approved');
    });
  });

  describe('Method: getTransaction', () => {
    it.each<[string, Reply]>([
      ['silence until the timeout', 'hang'],
      ['a 500', reply(500, '')],
      ['malformed JSON with a 200', reply(200, 'not json')],
      ['a dropped connection', 'destroy'],
    ])('retries %s up to maxLookupAttempts, then rejects as unavailable', async (_fault, answer) => {
      // Prepare
      const { client, received } = await clientAnswering(() => answer);

      // Act
      const error: unknown = await client.getTransaction('118810621').catch((caught: unknown) => caught);

      // Assess
      expect(error).toBeInstanceOf(GatewayUnavailableError);
      expect(received).toHaveLength(3);
    });

    it('recovers when a retry is answered', async () => {
      // Prepare
      const records: GatewayCallRecord[] = [];
      const { client, received } = await clientAnswering(
        (index) => (index === 0 ? reply(503, '') : reply(200, jsonLookupList)),
        { onCall: (record) => records.push(record) },
      );

      // Act
      const found = await client.getTransaction('118810621');

      // Assess
      expect(found?.transactionId).toBe('118810621');
      expect(received).toHaveLength(2);
      expect(records.map((record) => [record.attempt, record.httpStatus, record.error])).toStrictEqual([
        [1, 503, 'GatewayUnavailableError'],
        [2, 200, undefined],
      ]);
    });

    it('retries a refused connection, then rejects as unavailable', async () => {
      // Prepare
      const records: GatewayCallRecord[] = [];
      const client = createClearentClient({
        baseUrl: await closedPortUrl(),
        apiKey: API_KEY,
        ...FAST,
        onCall: (record) => records.push(record),
      });

      // Act
      const error: unknown = await client.getTransaction('1').catch((caught: unknown) => caught);

      // Assess
      expect(error).toBeInstanceOf(GatewayUnavailableError);
      expect(records.map((record) => record.attempt)).toStrictEqual([1, 2, 3]);
    });
  });

  describe('Method: deleteToken', () => {
    it('is not retried after a timeout: a repeat would read "no such token"', async () => {
      // Prepare
      const { client, received } = await clientAnswering(() => 'hang');

      // Act
      const error: unknown = await client
        .deleteToken('1100000900023211111')
        .catch((caught: unknown) => caught);

      // Assess
      expect(error).toBeInstanceOf(GatewayUnavailableError);
      expect(received).toHaveLength(1);
    });
  });
});
