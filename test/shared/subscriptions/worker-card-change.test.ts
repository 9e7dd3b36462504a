/**
 * A PATCH changes the card while the current attempt was sent (or settled) on the old one. The attempt is
 * resolved as it was sent, never sent again under its invoice with the new card: what the gateway charged
 * and what is recorded must be the same card.
 */
import { updateSubscription } from '../../../shared/subscriptions/update';
import { chargeSubscription } from '../../../shared/subscriptions/worker';
import { serverErrorAfterCharging, timeoutBeforeCharging } from '../../support/fake-gateway';
import { SETTLE_WINDOW_MS } from '../../support/memory-ports';
import {
  addNewCard,
  CARD_TOKEN,
  currentChargeId,
  declined,
  dueMessage,
  NEW_CARD_TOKEN,
  preparedPorts,
  type RecurringTestPorts,
  recordedCharges,
  STOREFRONT,
  storedSubscription,
} from './recurring-setup';

async function patchToNewCard(ports: RecurringTestPorts): Promise<void> {
  await addNewCard(ports);
  await updateSubscription(ports, STOREFRONT, 'sub_1', { cardId: 'card_2' }).run('sub_1', {
    key: 'patch-1',
    resumed: false,
  });
}

const sales = (ports: RecurringTestPorts) =>
  ports.fakeGateway.calls.flatMap((call) =>
    call.operation === 'tokenSale' ? [{ invoice: call.request.invoice, tokenId: call.request.tokenId }] : [],
  );

describe('Function: chargeSubscription, after the card was changed', () => {
  it('charges the new card under a new invoice once the old attempt is known not charged', async () => {
    // Prepare: the first attempt timed out before Clearent charged; then the card was changed.
    const ports = await preparedPorts();
    const message = await dueMessage(ports);
    const first = await currentChargeId(ports);
    ports.fakeGateway.script(timeoutBeforeCharging());
    await expect(chargeSubscription(ports, message)).rejects.toMatchObject({ reason: 'outcome_unknown' });
    await patchToNewCard(ports);

    // Act
    ports.advance(SETTLE_WINDOW_MS);
    const result = await chargeSubscription(ports, message);

    // Assess: the old invoice on the old card only, the new card under its own invoice
    const second = await storedSubscription(ports).then((s) => s.lastTransactionId);
    expect(result).toEqual({ result: 'approved', transactionId: second });
    expect(second).not.toBe(first);
    expect(sales(ports)).toEqual([
      { invoice: first, tokenId: CARD_TOKEN },
      { invoice: second, tokenId: NEW_CARD_TOKEN },
    ]);
    expect(recordedCharges(ports).map((t) => [t.id, t.cardId, t.status, t.amount])).toEqual([
      [first, 'card_1', 'failed', 1999],
      [second, 'card_2', 'approved', 1999],
    ]);
    expect(await storedSubscription(ports)).toMatchObject({
      status: 'active',
      cardId: 'card_2',
      periodStart: '2027-01-01T00:00:00.000Z',
      failedAttempts: 0,
    });
  });

  it('tries the new card when the old card decline was settled but not yet applied, counting no failure', async () => {
    // Prepare: the old card's hard decline is recorded, the subscription's write of it refused (changed
    // meanwhile by the PATCH)
    const ports = await preparedPorts();
    const message = await dueMessage(ports);
    const first = await currentChargeId(ports);
    ports.fakeGateway.script(declined('004'));
    jest.spyOn(ports.billing, 'transition').mockResolvedValueOnce(false);
    await chargeSubscription(ports, message);
    await patchToNewCard(ports);

    // Act
    const result = await chargeSubscription(ports, message);

    // Assess
    expect(result).toMatchObject({ result: 'approved' });
    expect(sales(ports).map((sale) => sale.tokenId)).toEqual([CARD_TOKEN, NEW_CARD_TOKEN]);
    expect(recordedCharges(ports).map((t) => [t.id === first, t.cardId, t.status])).toEqual([
      [true, 'card_1', 'declined'],
      [false, 'card_2', 'approved'],
    ]);
    expect(await storedSubscription(ports)).toMatchObject({ status: 'active', cardId: 'card_2' });
  });

  it('keeps an approval the old card made: it pays the period, and the new card is not charged', async () => {
    // Prepare: Clearent charged the old card and answered 5xx; then the card was changed.
    const ports = await preparedPorts();
    const message = await dueMessage(ports);
    const first = await currentChargeId(ports);
    ports.fakeGateway.script(serverErrorAfterCharging(503));
    await expect(chargeSubscription(ports, message)).rejects.toMatchObject({ reason: 'outcome_unknown' });
    await patchToNewCard(ports);

    // Act
    ports.advance(30_000);
    const result = await chargeSubscription(ports, message);

    // Assess
    expect(result).toEqual({ result: 'approved', transactionId: first });
    expect(sales(ports)).toEqual([{ invoice: first, tokenId: CARD_TOKEN }]);
    expect(recordedCharges(ports).map((t) => [t.id, t.cardId, t.status])).toEqual([
      [first, 'card_1', 'approved'],
    ]);
    expect(await storedSubscription(ports)).toMatchObject({
      cardId: 'card_2',
      periodStart: '2027-01-01T00:00:00.000Z',
      lastTransactionId: first,
    });
  });

  it('skips a message queued before the change once the new card has been declined: no early retry', async () => {
    // Prepare: attempt 0 declined on the old card, its retry (attempt 1) queued; then the card changed,
    // and the new card's first attempt declined too, its retry due on a later day
    const ports = await preparedPorts();
    ports.fakeGateway.script(declined('051'));
    await chargeSubscription(ports, await dueMessage(ports));
    const queuedBeforeChange = await dueMessage(ports);
    await patchToNewCard(ports);
    ports.fakeGateway.script(declined('051'));
    await chargeSubscription(ports, await dueMessage(ports));
    const before = await storedSubscription(ports);

    // Act
    const late = await chargeSubscription(ports, queuedBeforeChange);

    // Assess: the stale message sent nothing and changed nothing
    expect(queuedBeforeChange.attempt).toBe(1);
    expect(late).toEqual({ result: 'skipped', reason: 'stale' });
    expect(sales(ports).map((sale) => sale.tokenId)).toEqual([CARD_TOKEN, NEW_CARD_TOKEN]);
    expect(await storedSubscription(ports)).toEqual(before);
    expect(before).toMatchObject({
      status: 'past_due',
      cardId: 'card_2',
      failedAttempts: 1,
      attemptsBefore: 1,
    });
  });
});
