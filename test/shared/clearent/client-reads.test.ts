import { GatewayInvalidRequestError } from '../../../shared/clearent/errors';
import type { GatewayCallRecord } from '../../../shared/clearent/types';
import { parseAmount } from '../../../shared/money';
import { reply, useFakeGatewayClient } from './fake-gateway';
import {
  API_KEY,
  JWT,
  jsonApprovalWithTokenLink,
  jsonLookupList,
  jsonToken,
  TOKEN_ID,
  xmlSearchList,
} from './fixtures';

const jwtSale = { jwt: JWT, amount: parseAmount('15.55'), createToken: true, invoice: 'txn_1' };

describe('Function: createClearentClient, reads and records', () => {
  const clientAnswering = useFakeGatewayClient({ softwareType: 'test-software' });

  describe('Method: getTransaction', () => {
    it('finds the transaction in a lookup list', async () => {
      // Prepare
      const { client, received } = await clientAnswering(() => reply(200, jsonLookupList));

      // Act
      const found = await client.getTransaction('118810621');

      // Assess
      expect(received[0]?.method).toBe('GET');
      expect(received[0]?.path).toBe('/rest/v2/transactions?id=118810621');
      expect(received[0]?.headers['content-type']).toBe('application/json');
      expect(found).toMatchObject({ outcome: 'approved', transactionId: '118810621', amount: 1555 });
    });

    it('answers undefined on a 404, or when the list does not hold that id', async () => {
      // Prepare
      const { client } = await clientAnswering((index) =>
        index === 0 ? reply(404, '') : reply(200, jsonLookupList),
      );

      // Act
      const missing = await client.getTransaction('1');
      const otherId = await client.getTransaction('2');

      // Assess
      expect(missing).toBeUndefined();
      expect(otherId).toBeUndefined();
    });
  });

  describe('Method: searchTransactions', () => {
    it('searches by invoice and order id and lists the matches newest first', async () => {
      // Prepare
      const { client, received } = await clientAnswering(() => reply(200, xmlSearchList, 'application/xml'));

      // Act
      const found = await client.searchTransactions({ invoice: 'txn_9', orderId: 'A 1' });

      // Assess
      expect(received[0]?.path).toBe('/rest/v2/transactions?invoice=txn_9&order-id=A+1');
      expect(found.map((transaction) => [transaction.transactionId, transaction.outcome])).toStrictEqual([
        ['201', 'approved'],
        ['200', 'declined'],
      ]);
      expect(found[0]?.invoice).toBe('txn_9');
    });

    it('answers an empty list on a 404', async () => {
      // Prepare
      const { client } = await clientAnswering(() => reply(404, '{"code":"404","status":"fail"}'));

      // Act
      const found = await client.searchTransactions({ invoice: 'txn_unknown' });

      // Assess
      expect(found).toStrictEqual([]);
    });

    it('refuses a search without criteria, without calling Clearent', async () => {
      // Prepare
      const { client, received } = await clientAnswering(() => reply(200, jsonLookupList));

      // Act
      const search = client.searchTransactions({});

      // Assess
      await expect(search).rejects.toBeInstanceOf(GatewayInvalidRequestError);
      expect(received).toHaveLength(0);
    });
  });

  describe('Methods: getToken and deleteToken', () => {
    it('reads a token', async () => {
      // Prepare
      const { client, received } = await clientAnswering(() => reply(200, jsonToken));

      // Act
      const token = await client.getToken(TOKEN_ID);

      // Assess
      expect(received[0]?.method).toBe('GET');
      expect(received[0]?.path).toBe(`/rest/v2/tokens/${TOKEN_ID}`);
      expect(token).toStrictEqual({
        tokenId: TOKEN_ID,
        card: { brand: 'VISA', last4: '1111', expDate: '1229' },
        status: 'ACTIVE',
      });
    });

    it('answers undefined for an unknown token and false when deleting it', async () => {
      // Prepare
      const { client } = await clientAnswering(() => reply(404, ''));

      // Act
      const token = await client.getToken(TOKEN_ID);
      const deleted = await client.deleteToken(TOKEN_ID);

      // Assess
      expect(token).toBeUndefined();
      expect(deleted).toBe(false);
    });

    it('deletes a token with DELETE on its path', async () => {
      // Prepare
      const { client, received } = await clientAnswering(() =>
        reply(200, '{"code":"200","status":"success"}'),
      );

      // Act
      const deleted = await client.deleteToken(TOKEN_ID);

      // Assess
      expect(received[0]?.method).toBe('DELETE');
      expect(received[0]?.path).toBe(`/rest/v2/tokens/${TOKEN_ID}`);
      expect(deleted).toBe(true);
    });
  });

  describe('Option: onCall', () => {
    it('records every call without the JWT, the api-key or the token id', async () => {
      // Prepare
      const records: GatewayCallRecord[] = [];
      const { client } = await clientAnswering(
        (index) =>
          [reply(200, jsonApprovalWithTokenLink), reply(200, jsonToken), reply(200, '{}')][index] ??
          'destroy',
        { onCall: (record) => records.push(record) },
      );

      // Act
      await client.jwtSale(jwtSale);
      await client.getToken(TOKEN_ID);
      await client.deleteToken(TOKEN_ID);

      // Assess
      expect(
        records.map(({ operation, method, path, httpStatus, attempt }) => [
          operation,
          method,
          path,
          httpStatus,
          attempt,
        ]),
      ).toStrictEqual([
        ['jwtSale', 'POST', '/rest/v2/mobile/transactions/sale', 200, 1],
        ['getToken', 'GET', '/rest/v2/tokens/{id}', 200, 1],
        ['deleteToken', 'DELETE', '/rest/v2/tokens/{id}', 200, 1],
      ]);
      expect(records[0]).toMatchObject({
        outcome: 'approved',
        resultCode: '000',
        exchangeId: 'ID-clearent-mobile-jwt-1-e4795490',
      });
      const logged = JSON.stringify(records);
      expect(logged).not.toContain(JWT);
      expect(logged).not.toContain(API_KEY);
      expect(logged).not.toContain(TOKEN_ID);
    });

    it('records lookups with the query template, not our values', async () => {
      // Prepare
      const records: GatewayCallRecord[] = [];
      const { client } = await clientAnswering(() => reply(200, jsonLookupList), {
        onCall: (record) => records.push(record),
      });

      // Act
      await client.getTransaction('118810621');
      await client.searchTransactions({ invoice: 'txn_1', orderId: 'A-1001' });

      // Assess
      expect(records.map((record) => record.path)).toStrictEqual([
        '/rest/v2/transactions?id={id}',
        '/rest/v2/transactions?invoice={invoice}&order-id={order-id}',
      ]);
    });
  });
});
