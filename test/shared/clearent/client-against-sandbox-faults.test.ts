/**
 * The real Clearent client against every fault the sandbox simulator can inject: always a typed
 * GatewayError, never a raw exception, never an unknown outcome read as a decline, and the ledger shows
 * how many times the card was actually charged.
 */
import type { Sandbox } from '../../../infra/sandbox';
import {
  GatewayError,
  GatewayOutcomeUnknownError,
  GatewayUnavailableError,
} from '../../../shared/clearent/errors';
import type { ClearentGateway } from '../../../shared/clearent/types';
import { parseAmount } from '../../../shared/money';
import { failureOf, type SandboxClients, useSandboxClients } from './sandbox-clients';

describe('Function: createClearentClient, against the sandbox simulator under faults', () => {
  const clients = useSandboxClients();
  let sandbox: Sandbox;
  let client: ClearentGateway;
  let impatientClient: ClearentGateway;
  let jwtSale: SandboxClients['jwtSale'];

  beforeAll(() => {
    ({ sandbox, client, impatientClient, jwtSale } = clients());
  });

  describe('Faults on a sale', () => {
    it.each([
      ['late', 1, { kind: 'late', delayMs: 10_000 }, GatewayOutcomeUnknownError],
      ['http-error 503', 0, { kind: 'http-error', status: 503 }, GatewayOutcomeUnknownError],
      ['http-error 500', 0, { kind: 'http-error', status: 500 }, GatewayOutcomeUnknownError],
      [
        'http-error 502 after charging',
        1,
        { kind: 'http-error', status: 502, processed: true },
        GatewayOutcomeUnknownError,
      ],
      ['malformed', 1, { kind: 'malformed' }, GatewayOutcomeUnknownError],
      ['reset-after-processing', 1, { kind: 'reset-after-processing' }, GatewayOutcomeUnknownError],
      ['reset-before-processing', 0, { kind: 'reset-before-processing' }, GatewayOutcomeUnknownError],
    ] as const)(
      '%s: the typed error, never a decline, charged %i time(s)',
      async (_name, charges, fault, expected) => {
        // Prepare
        sandbox.injectFault({ ...fault, match: { operation: 'mobile-sale' } });
        const request = jwtSale('30.00', true);

        // Act
        const error = await failureOf(impatientClient.jwtSale(request));

        // Assess
        expect(error).toBeInstanceOf(GatewayError);
        expect(error).toBeInstanceOf(expected);
        expect(sandbox.ledger.requestCounts['POST /rest/v2/mobile/transactions/sale']).toBe(1);
        expect(sandbox.ledger.chargesForInvoice(request.invoice)).toHaveLength(charges);
      },
    );

    it('an unknown outcome is resolved by searching the invoice: the one charge is found, without its token', async () => {
      // Prepare
      sandbox.injectFault({ kind: 'reset-after-processing' });
      const request = jwtSale('30.00', true);
      await failureOf(client.jwtSale(request));

      // Act
      const found = await client.searchTransactions({ invoice: request.invoice });

      // Assess
      // Clearent documents the token id only on the sale's own answer, never in a search.
      expect(found).toEqual([expect.objectContaining({ outcome: 'approved', invoice: request.invoice })]);
      expect(found[0]?.tokenId).toBeUndefined();
      expect(sandbox.ledger.tokens).toHaveLength(1);
      expect(sandbox.ledger.chargeCount).toBe(1);
    });

    it('a sale dropped before processing can be sent again with the same JWT', async () => {
      // Prepare
      sandbox.injectFault({ kind: 'reset-before-processing' });
      const request = jwtSale('30.00');
      await failureOf(client.jwtSale(request));

      // Act
      const retried = await client.jwtSale(request);

      // Assess
      expect(retried.outcome).toBe('approved');
      expect(sandbox.ledger.chargesForInvoice(request.invoice)).toHaveLength(1);
    });

    it('xml: an XML answer to a JSON request is read like JSON', async () => {
      // Prepare
      sandbox.injectFault({ kind: 'xml' });

      // Act
      const sale = await client.jwtSale(jwtSale('15.55', true));

      // Assess
      expect(sale).toMatchObject({ outcome: 'approved', amount: 1555, resultCode: '000' });
      expect(sale.tokenId).toBe(sandbox.ledger.tokens[0]?.tokenId);
    });

    it('a refund dropped after processing: unknown outcome, refunded once', async () => {
      // Prepare
      const sale = await client.jwtSale(jwtSale('10.00'));
      sandbox.injectFault({ kind: 'reset-after-processing', match: { operation: 'refund' } });

      // Act
      const saleTransactionId = String(sale.transactionId);
      const error = await failureOf(client.refund({ saleTransactionId, amount: parseAmount('4.00') }));

      // Assess
      expect(error).toBeInstanceOf(GatewayOutcomeUnknownError);
      expect(sandbox.ledger.refundedAmount(saleTransactionId)).toBe(400);
    });
  });

  describe('Faults on reads', () => {
    it.each([
      ['http-error', { kind: 'http-error', status: 503 }],
      ['malformed', { kind: 'malformed' }],
      ['reset-after-processing', { kind: 'reset-after-processing' }],
    ] as const)('a lookup retries through %s and finds the sale', async (_name, fault) => {
      // Prepare
      const sale = await client.jwtSale(jwtSale('3.00'));
      sandbox.injectFault({ ...fault, match: { operation: 'search' } });

      // Act
      const found = await client.getTransaction(String(sale.transactionId));

      // Assess
      expect(found?.transactionId).toBe(sale.transactionId);
      expect(sandbox.ledger.requestCounts['GET /rest/v2/transactions']).toBe(2);
    });

    it('a lookup that keeps failing: GatewayUnavailableError, never "not found"', async () => {
      // Prepare
      const sale = await client.jwtSale(jwtSale('3.00'));
      sandbox.injectFault({ kind: 'http-error', status: 500, times: 3 });

      // Act
      const error = await failureOf(client.getTransaction(String(sale.transactionId)));

      // Assess
      expect(error).toBeInstanceOf(GatewayUnavailableError);
    });
  });
});
