/**
 * Subscriptions in DynamoDB as the recurring worker reads them and applies what a charge led to. Apart
 * from the API's repository (./subscriptions.ts), so that the worker bundles neither the lists nor their
 * cursors; both write a change the same way (./subscription-writes.ts).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SubscriptionBilling } from '../subscriptions/ports';
import {
  applyChargeState,
  type ChargeState,
  isChargeable,
  type Subscription,
} from '../subscriptions/subscription';
import { readSubscription, WRITE_ATTEMPTS, writeChange } from './subscription-writes';

export class DynamoSubscriptionBilling implements SubscriptionBilling {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** The time events are stamped with. */
    private readonly clock: { now(): Date } = { now: () => new Date() },
  ) {}

  async get(storefrontId: string, subscriptionId: string): Promise<Subscription | undefined> {
    return readSubscription(this.db, this.tableName, storefrontId, subscriptionId);
  }

  async transition(seen: Subscription, next: ChargeState): Promise<boolean> {
    let current = seen;
    for (let attempt = 1; isChargeable(current.status); attempt += 1) {
      if (await this.write(current, applyChargeState(current, next))) return true;
      if (attempt >= WRITE_ATTEMPTS) return false;
      // Changed meanwhile: still this attempt (a PATCH of the amount, say), the outcome applies to it.
      const latest = await this.get(seen.storefrontId, seen.id);
      if (!latest || !sameAttempt(latest, seen)) return false;
      current = latest;
    }
    return false;
  }

  /** Writes `after` with its event if the item is still `seen`; `false` when it changed meanwhile. */
  private async write(seen: Subscription, after: Subscription): Promise<boolean> {
    return writeChange(this.db, this.tableName, seen, after, this.clock.now());
  }
}

/** Whether `latest` is still at the period and attempt `seen` was charged at. */
const sameAttempt = (latest: Subscription, seen: Subscription): boolean =>
  latest.periodStart === seen.periodStart &&
  latest.failedAttempts === seen.failedAttempts &&
  latest.attemptsBefore === seen.attemptsBefore;
