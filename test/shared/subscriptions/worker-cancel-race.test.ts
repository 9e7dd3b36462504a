/**
 * A subscription canceled while its message was on its way to the worker: the worker read it chargeable,
 * but right before the sale it reads it again, and sends nothing (contract: no charge after a cancel).
 */
import { chargeSubscription } from '../../../shared/subscriptions/worker';
import { dueMessage, preparedPorts, recordedCharges, STOREFRONT } from './recurring-setup';

describe('Function: chargeSubscription, canceled just before the sale', () => {
  it('sends nothing and skips the charge when the subscription is canceled between its read and the sale', async () => {
    // Prepare: the worker's first read sees it active; the cancel lands before the sale is prepared.
    const ports = await preparedPorts();
    const message = await dueMessage(ports);
    const get = ports.billing.get.bind(ports.billing);
    let reads = 0;
    ports.billing.get = async (storefrontId, subscriptionId) => {
      const subscription = await get(storefrontId, subscriptionId);
      reads += 1;
      if (reads === 1)
        await ports.subscriptions.cancel(STOREFRONT, subscriptionId, '2026-12-01T00:00:00.000Z');
      return subscription;
    };

    // Act
    const result = await chargeSubscription(ports, message);

    // Assess
    expect(result).toEqual({ result: 'skipped', reason: 'not_chargeable' });
    expect(reads).toBe(2);
    expect(ports.fakeGateway.calls).toEqual([]);
    expect(recordedCharges(ports)).toEqual([]);
  });
});
