import { GatewayAuthenticationError, GatewayInvalidRequestError } from '../../../shared/clearent/errors';
import { parseAmount } from '../../../shared/money';
import { reply, useFakeGatewayClient } from './fake-gateway';
import {
  API_KEY,
  JWT,
  jsonApprovalWithTokenLink,
  jsonApprovalWithTokenResponse,
  jsonDecline,
  jsonInvalidCardWithTransaction,
  jsonInvalidRequest,
  jsonRefusalWithoutTransaction,
  jsonUnauthorized,
  TOKEN_ID,
  xmlApproval,
  xmlDecline,
} from './fixtures';

const jwtSale = {
  jwt: JWT,
  amount: parseAmount('15.55'),
  createToken: true,
  invoice: 'txn_1',
  orderId: 'A-1001',
  description: 'Blue mug',
  customerId: 'cus_42',
};

const approvedSale = {
  outcome: 'approved',
  type: 'SALE',
  transactionId: '118810621',
  amount: 1555,
  authorizationCode: 'TAS475',
  resultCode: '000',
  message: 'Transaction approved',
  card: { brand: 'VISA', last4: '1111', expDate: '1229' },
  tokenId: TOKEN_ID,
  invoice: 'txn_1',
};

describe('Function: createClearentClient, charges', () => {
  const clientAnswering = useFakeGatewayClient({ softwareType: 'test-software' });

  describe('Method: jwtSale', () => {
    it('sends the JWT sale Clearent documents and reads an approval with a token link', async () => {
      // Prepare
      const { client, received } = await clientAnswering(() => reply(200, jsonApprovalWithTokenLink));

      // Act
      const sale = await client.jwtSale(jwtSale);

      // Assess
      expect(received).toHaveLength(1);
      const [request] = received;
      expect(request?.method).toBe('POST');
      expect(request?.path).toBe('/rest/v2/mobile/transactions/sale');
      expect(request?.headers).toMatchObject({
        'api-key': API_KEY,
        mobilejwt: JWT,
        'content-type': 'application/json',
        accept: 'application/json',
      });
      expect(JSON.parse(request?.body ?? '')).toStrictEqual({
        type: 'SALE',
        amount: '15.55',
        'software-type': 'test-software',
        'software-type-version': '1',
        'create-token': 'true',
        invoice: 'txn_1',
        'order-id': 'A-1001',
        description: 'Blue mug',
        'customer-id': 'cus_42',
      });
      expect(sale).toStrictEqual({
        ...approvedSale,
        exchangeId: 'ID-clearent-mobile-jwt-1-e4795490',
        orderId: 'A-1001',
        created: '2025-05-08 18:56:50.930',
      });
    });

    it('leaves create-token and unset reference fields out of the body', async () => {
      // Prepare
      const { client, received } = await clientAnswering(() => reply(200, jsonApprovalWithTokenLink));

      // Act
      await client.jwtSale({ jwt: JWT, amount: parseAmount('0.5'), createToken: false, invoice: 'txn_2' });

      // Assess
      expect(JSON.parse(received[0]?.body ?? '')).toStrictEqual({
        type: 'SALE',
        amount: '0.50',
        'software-type': 'test-software',
        'software-type-version': '1',
        invoice: 'txn_2',
      });
    });

    it('reads the token id from tokenResponse and last four from the masked card', async () => {
      // Prepare
      const { client } = await clientAnswering(() => reply(200, jsonApprovalWithTokenResponse));

      // Act
      const sale = await client.jwtSale(jwtSale);

      // Assess
      expect(sale).toMatchObject({ outcome: 'approved', tokenId: TOKEN_ID, card: { last4: '1111' } });
    });

    it('resolves a 402 carrying a transaction and an error as a decline of that transaction', async () => {
      // Prepare
      const { client } = await clientAnswering(() => reply(402, jsonDecline));

      // Act
      const sale = await client.jwtSale(jwtSale);

      // Assess
      expect(sale).toStrictEqual({
        outcome: 'declined',
        type: 'SALE',
        transactionId: '1107315',
        amount: 333,
        resultCode: '018',
        message: 'Declined by Issuer - Invalid card security code',
        exchangeId: 'ID-clearent-decline',
        card: { last4: '1111', expDate: '1020' },
      });
    });

    it('resolves a 402 with only an error as a decline with its result-code', async () => {
      // Prepare
      const { client } = await clientAnswering(() => reply(402, jsonRefusalWithoutTransaction));

      // Act
      const sale = await client.jwtSale(jwtSale);

      // Assess
      expect(sale).toMatchObject({
        outcome: 'declined',
        resultCode: '032',
        message: 'Duplicate transaction',
      });
      expect(sale.transactionId).toBeUndefined();
    });

    it('resolves a 400 carrying a declined transaction (invalid card number) as a decline', async () => {
      // Prepare
      const { client } = await clientAnswering(() => reply(400, jsonInvalidCardWithTransaction));

      // Act
      const sale = await client.jwtSale(jwtSale);

      // Assess
      expect(sale).toMatchObject({ outcome: 'declined', resultCode: '009', transactionId: '1107316' });
    });

    it('rejects a 400 without a transaction as an invalid request', async () => {
      // Prepare
      const { client } = await clientAnswering(() => reply(400, jsonInvalidRequest));

      // Act
      const sale = client.jwtSale(jwtSale);

      // Assess
      await expect(sale).rejects.toBeInstanceOf(GatewayInvalidRequestError);
      await expect(sale).rejects.toMatchObject({ httpStatus: 400, resultCode: '002' });
    });

    it('rejects a 401 as an authentication failure that does not quote the key', async () => {
      // Prepare
      const { client } = await clientAnswering(() => reply(401, jsonUnauthorized));

      // Act
      const error: unknown = await client.jwtSale(jwtSale).catch((caught: unknown) => caught);

      // Assess
      expect(error).toBeInstanceOf(GatewayAuthenticationError);
      expect(error).toMatchObject({ httpStatus: 401, resultCode: '042' });
      expect(String((error as Error).message)).not.toContain(API_KEY);
    });

    it('reads an XML approval to a JSON request', async () => {
      // Prepare
      const { client, received } = await clientAnswering(() => reply(200, xmlApproval, 'application/xml'));

      // Act
      const sale = await client.jwtSale(jwtSale);

      // Assess
      expect(received[0]?.headers.accept).toBe('application/json');
      expect(sale).toStrictEqual({ ...approvedSale, exchangeId: 'ID-clearent-xml-1' });
    });

    it('reads an XML decline (payload type errorTransaction)', async () => {
      // Prepare
      const { client } = await clientAnswering(() => reply(402, xmlDecline, 'application/xml'));

      // Act
      const sale = await client.jwtSale(jwtSale);

      // Assess
      expect(sale).toMatchObject({
        outcome: 'declined',
        transactionId: '1107320',
        amount: 21,
        resultCode: '012',
        message: 'Insufficient funds',
      });
    });
  });

  describe('Method: tokenSale', () => {
    it('charges the stored token on the server sale path, without a mobilejwt', async () => {
      // Prepare
      const { client, received } = await clientAnswering(() => reply(200, jsonApprovalWithTokenLink));

      // Act
      const sale = await client.tokenSale({
        tokenId: TOKEN_ID,
        expDate: '1229',
        amount: parseAmount('15.55'),
        invoice: 'txn_3',
      });

      // Assess
      expect(received[0]?.path).toBe('/rest/v2/transactions/sale');
      expect(received[0]?.headers.mobilejwt).toBeUndefined();
      expect(received[0]?.headers['api-key']).toBe(API_KEY);
      expect(JSON.parse(received[0]?.body ?? '')).toStrictEqual({
        type: 'SALE',
        amount: '15.55',
        card: TOKEN_ID,
        'exp-date': '1229',
        'software-type': 'test-software',
        'software-type-version': '1',
        invoice: 'txn_3',
      });
      expect(sale.outcome).toBe('approved');
    });
  });

  describe('Methods: refund and void', () => {
    it('sends a matched refund by the sale id', async () => {
      // Prepare
      const { client, received } = await clientAnswering(() => reply(200, jsonApprovalWithTokenLink));

      // Act
      await client.refund({ saleTransactionId: '118810621', amount: parseAmount('5'), invoice: 'txn_4' });

      // Assess
      expect(received[0]?.method).toBe('POST');
      expect(received[0]?.path).toBe('/rest/v2/transactions/refund');
      expect(JSON.parse(received[0]?.body ?? '')).toStrictEqual({
        type: 'REFUND',
        amount: '5.00',
        id: '118810621',
        invoice: 'txn_4',
      });
    });

    it('sends a void by transaction id', async () => {
      // Prepare
      const { client, received } = await clientAnswering(() => reply(200, jsonApprovalWithTokenLink));

      // Act
      await client.void('118810621');

      // Assess
      expect(received[0]?.path).toBe('/rest/v2/transactions/void');
      expect(JSON.parse(received[0]?.body ?? '')).toStrictEqual({ type: 'VOID', id: '118810621' });
    });
  });
});
