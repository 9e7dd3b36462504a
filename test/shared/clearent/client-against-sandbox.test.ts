/**
 * The real Clearent client against the sandbox simulator: every operation end to end over HTTP, with the
 * simulator's ledger showing what was actually charged. Faults: client-against-sandbox-faults.test.ts.
 */
import type { Sandbox } from '../../../infra/sandbox';
import { createClearentClient } from '../../../shared/clearent/client';
import { GatewayAuthenticationError, GatewayInvalidRequestError } from '../../../shared/clearent/errors';
import type { ClearentGateway } from '../../../shared/clearent/types';
import { parseAmount } from '../../../shared/money';
import { failureOf, type SandboxClients, useSandboxClients } from './sandbox-clients';

describe('Function: createClearentClient, against the sandbox simulator', () => {
  const clients = useSandboxClients();
  let sandbox: Sandbox;
  let client: ClearentGateway;
  let jwtSale: SandboxClients['jwtSale'];

  beforeAll(() => {
    ({ sandbox, client, jwtSale } = clients());
  });

  describe('Operations', () => {
    it('jwtSale with createToken: approved, with the token id, recorded once', async () => {
      // Act
      const sale = await client.jwtSale({ ...jwtSale('15.55', true), orderId: 'order-1' });

      // Assess
      expect(sale).toMatchObject({ outcome: 'approved', type: 'SALE', amount: 1555, resultCode: '000' });
      expect(sale.card).toEqual({ brand: 'VISA', last4: '1111', expDate: '1228' });
      expect(sale.tokenId).toBe(sandbox.ledger.tokens[0]?.tokenId);
      expect(sale.exchangeId).toMatch(/^ID-/);
      expect(sandbox.ledger.chargesForInvoice(String(sale.invoice))).toEqual([
        expect.objectContaining({ id: sale.transactionId, orderId: 'order-1', tokenCreated: true }),
      ]);
    });

    it('jwtSale without createToken: approved, no token', async () => {
      // Act
      const sale = await client.jwtSale(jwtSale('5.00'));

      // Assess
      expect(sale.outcome).toBe('approved');
      expect(sale.tokenId).toBeUndefined();
      expect(sandbox.ledger.tokens).toEqual([]);
    });

    it('jwtSale declined by a trigger amount: a declined result, not an error', async () => {
      // Act
      const sale = await client.jwtSale(jwtSale('0.21', true));

      // Assess
      expect(sale).toMatchObject({ outcome: 'declined', resultCode: '012' });
      expect(sandbox.ledger.chargeCount).toBe(0);
    });

    it('jwtSale with a JWT already used: GatewayInvalidRequestError, charged once', async () => {
      // Prepare
      const request = jwtSale('5.00');
      await client.jwtSale(request);

      // Act
      const error = await failureOf(client.jwtSale(request));

      // Assess
      expect(error).toBeInstanceOf(GatewayInvalidRequestError);
      expect(sandbox.ledger.chargeCount).toBe(1);
    });

    it('tokenSale: charges the saved card; a deleted token is declined (009)', async () => {
      // Prepare
      const { tokenId } = await client.jwtSale(jwtSale('1.00', true));
      const tokenSale = {
        tokenId: String(tokenId),
        expDate: '1228',
        amount: parseAmount('7.25'),
        invoice: 'txn_t',
      };

      // Act
      const charged = await client.tokenSale(tokenSale);
      await client.deleteToken(String(tokenId));
      const refused = await client.tokenSale({ ...tokenSale, invoice: 'txn_t2' });

      // Assess
      expect(charged).toMatchObject({ outcome: 'approved', amount: 725, invoice: 'txn_t' });
      expect(refused).toMatchObject({ outcome: 'declined', resultCode: '009' });
      expect(sandbox.ledger.charges.map((charge) => charge.amount)).toEqual([100, 725]);
    });

    it('refund: partial refunds approved, one over the remainder declined (025)', async () => {
      // Prepare
      const sale = await client.jwtSale(jwtSale('25.00'));
      const saleTransactionId = String(sale.transactionId);

      // Act
      const partial = await client.refund({
        saleTransactionId,
        amount: parseAmount('20.00'),
        invoice: 'r_1',
      });
      const over = await client.refund({ saleTransactionId, amount: parseAmount('5.01'), invoice: 'r_2' });

      // Assess
      expect(partial).toMatchObject({ outcome: 'approved', type: 'REFUND', amount: 2000 });
      expect(over).toMatchObject({ outcome: 'declined', resultCode: '025' });
      expect(sandbox.ledger.refundedAmount(saleTransactionId)).toBe(2000);
    });

    it('void: approved, and the sale is marked voided', async () => {
      // Prepare
      const sale = await client.jwtSale(jwtSale('9.00'));

      // Act
      const voided = await client.void(String(sale.transactionId));

      // Assess
      expect(voided).toMatchObject({ outcome: 'approved', type: 'VOID' });
      expect(sandbox.ledger.voids.map((entry) => entry.originalId)).toEqual([sale.transactionId]);
    });

    it('getTransaction and searchTransactions read the documented list shape', async () => {
      // Prepare
      const sale = await client.jwtSale({ ...jwtSale('12.00', true), orderId: 'order-s' });

      // Act
      const found = await client.getTransaction(String(sale.transactionId));
      const missing = await client.getTransaction('404404');
      const byInvoice = await client.searchTransactions({ invoice: sale.invoice });
      const byOrder = await client.searchTransactions({ orderId: 'order-s' });

      // Assess
      const expected = { transactionId: sale.transactionId, outcome: 'approved', amount: 1200, type: 'SALE' };
      expect(sale.tokenId).toBeDefined();
      expect(found).toMatchObject(expected);
      expect(missing).toBeUndefined();
      expect(byInvoice).toEqual([expect.objectContaining(expected)]);
      expect(byOrder).toEqual([expect.objectContaining(expected)]);
      // The token id travels only in the sale's own answer, never in a lookup or search (documented).
      expect([found, ...byInvoice, ...byOrder].map((transaction) => transaction?.tokenId)).toEqual([
        undefined,
        undefined,
        undefined,
      ]);
    });

    it('getToken and deleteToken: found, deleted, then gone', async () => {
      // Prepare
      const tokenId = String((await client.jwtSale(jwtSale('1.00', true))).tokenId);

      // Act
      const token = await client.getToken(tokenId);
      const deleted = await client.deleteToken(tokenId);
      const afterDelete = await client.getToken(tokenId);
      const deletedAgain = await client.deleteToken(tokenId);

      // Assess
      expect(token).toMatchObject({ tokenId, card: { brand: 'VISA', last4: '1111' } });
      expect([deleted, afterDelete, deletedAgain]).toEqual([true, undefined, false]);
    });

    it('a wrong api-key: GatewayAuthenticationError, nothing charged', async () => {
      // Prepare
      const misconfigured = createClearentClient({ baseUrl: sandbox.url, apiKey: 'wrong_key_not_secret' });

      // Act
      const error = await failureOf(misconfigured.jwtSale(jwtSale('5.00')));

      // Assess
      expect(error).toBeInstanceOf(GatewayAuthenticationError);
      expect(sandbox.ledger.transactions).toEqual([]);
    });
  });
});
