import type { ChargeMessage } from '../../../shared/subscriptions/ports';
import { QUEUE_BATCH_SIZE, selectDueCharges } from '../../../shared/subscriptions/selector';
import { chargeSubscription } from '../../../shared/subscriptions/worker';
import { memorySubscriptionPorts } from '../../support/memory-subscriptions';
import { addCard, addSubscription, type RecurringTestPorts, recurringPorts } from './recurring-setup';

/** A queue that keeps every batch it is sent. */
function recordingQueue() {
  const batches: ChargeMessage[][] = [];
  return {
    batches,
    messages: () => batches.flat(),
    send: async (messages: readonly ChargeMessage[]) => {
      batches.push([...messages]);
    },
  };
}

async function withSubscriptions(ports: RecurringTestPorts, nextChargeAts: string[]) {
  await addCard(ports);
  for (const [index, nextChargeAt] of nextChargeAts.entries()) {
    await addSubscription(ports, { id: `sub_${index}`, periodStart: nextChargeAt, nextChargeAt });
  }
}

describe('Function: selectDueCharges', () => {
  it('queues one message per subscription due at the scheduled time, in batches of at most 10', async () => {
    // Prepare: 23 due (page size 2, over 4 shards), 2 not yet due.
    const ports = recurringPorts();
    const due = Array.from({ length: 23 }, (_, i) => `2026-12-01T00:${String(i).padStart(2, '0')}:00.000Z`);
    await withSubscriptions(ports, [...due, '2026-12-01T01:00:00.001Z', '2027-01-01T00:00:00.000Z']);
    const queue = recordingQueue();

    // Act
    const selection = await selectDueCharges({ due: ports.due, queue }, new Date('2026-12-01T01:00:00.000Z'));

    // Assess
    expect(selection).toEqual({ scheduledTime: '2026-12-01T01:00:00.000Z', due: 23, complete: true });
    expect(
      queue
        .messages()
        .map((m) => m.subscriptionId)
        .sort(),
    ).toEqual(due.map((_, i) => `sub_${i}`).sort());
    expect(queue.batches.every((batch) => batch.length >= 1 && batch.length <= QUEUE_BATCH_SIZE)).toBe(true);
    expect(queue.messages()[0]).toEqual(
      expect.objectContaining({ storefrontId: 'sf_a', attempt: 0, periodStart: expect.any(String) }),
    );
  });

  it('splits a page into SendMessageBatch batches of 10', async () => {
    const ports = { ...recurringPorts(), ...memorySubscriptionPorts(1000) };
    await withSubscriptions(
      ports,
      Array.from({ length: 60 }, () => '2026-12-01T00:00:00.000Z'),
    );
    const queue = recordingQueue();

    await selectDueCharges({ due: ports.due, queue }, new Date('2026-12-01T00:00:00.000Z'));

    const sizes = queue.batches.map((batch) => batch.length);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(60);
    expect(Math.max(...sizes)).toBe(QUEUE_BATCH_SIZE);
    expect(new Set(queue.messages().map((m) => m.subscriptionId)).size).toBe(60);
  });

  it('leaves out canceled and unpaid subscriptions', async () => {
    const ports = recurringPorts();
    await withSubscriptions(ports, ['2026-12-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z']);
    await ports.subscriptions.cancel('sf_a', 'sub_0', '2026-11-30T00:00:00.000Z');
    const queue = recordingQueue();

    const selection = await selectDueCharges({ due: ports.due, queue }, new Date('2026-12-01T00:00:00.000Z'));

    expect(selection.due).toBe(1);
    expect(queue.messages().map((m) => m.subscriptionId)).toEqual(['sub_1']);
  });

  it('stops early when time runs out, and says the run is incomplete', async () => {
    const ports = recurringPorts();
    await withSubscriptions(
      ports,
      Array.from({ length: 6 }, () => '2026-12-01T00:00:00.000Z'),
    );
    const queue = recordingQueue();

    const selection = await selectDueCharges(
      { due: ports.due, queue },
      new Date('2026-12-01T00:00:00.000Z'),
      { hasTimeLeft: () => false },
    );

    expect(selection).toMatchObject({ due: 0, complete: false });
    expect(queue.batches).toEqual([]);
  });

  it('run twice at the same time, charges each subscription once', async () => {
    // Prepare
    const ports = recurringPorts();
    await withSubscriptions(
      ports,
      Array.from({ length: 5 }, () => '2026-12-01T00:00:00.000Z'),
    );
    const queue = recordingQueue();
    const scheduledTime = new Date('2026-12-01T00:00:00.000Z');

    // Act: two runs queue everything twice before any worker has charged anything.
    await selectDueCharges({ due: ports.due, queue }, scheduledTime);
    await selectDueCharges({ due: ports.due, queue }, scheduledTime);
    const results = [];
    for (const message of queue.messages()) results.push((await chargeSubscription(ports, message)).result);

    // Assess
    expect(queue.messages()).toHaveLength(10);
    expect(results.filter((r) => r === 'approved')).toHaveLength(5);
    expect(results.filter((r) => r === 'skipped')).toHaveLength(5);
    expect(ports.fakeGateway.count('tokenSale')).toBe(5);
    const selectedAgain = recordingQueue();
    await selectDueCharges({ due: ports.due, queue: selectedAgain }, scheduledTime);
    expect(selectedAgain.messages()).toEqual([]);
  });
});
