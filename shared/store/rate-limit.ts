/**
 * Each storefront's request budget: a token bucket of `burst` tokens, refilled in whole every
 * `burst / requestsPerSecond` seconds (aligned to the clock), one token per request. Over any span of
 * time `t` a storefront gets at most `burst + requestsPerSecond × t` requests, plus at most one burst
 * more right at a refill.
 *
 * One request costs one conditional `UpdateItem` and nothing else: no read before it, no second
 * write after it, whether it is let through or refused. Why not a bucket refilled continuously
 * (`min(burst, tokens + elapsed × rate)`)? DynamoDB's update expressions only add and subtract: the
 * `min`, and the choice between "refill" and "spend", would need the stored values first, which is a
 * read (twice the requests, and a race between them) or a second conditional write. Refilling in
 * whole instead, each refill period has an item of its own (`RATE#<storefrontId>` /
 * `REFILL#<refill time>`), so a refill is the first update of a new item, `if_not_exists` starting it
 * full; the update spends a token under the condition that one is left. A refusal is certain until
 * the next refill, so this container then refuses the storefront without asking DynamoDB at all until
 * then: a flood over the limit costs one write per container per refill period, not one per request.
 * Old periods' items are never read again; TTL (`expiresAt`) deletes them.
 *
 * @example
 * const limiter = new DynamoRateLimiter(documentClient(), tableName(), { requestsPerSecond: 50, burst: 100 });
 * const decision = await limiter.take('acme'); // { allowed: true }, or { allowed: false, retryAfterSeconds: 1 }
 */
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { StorefrontRateLimit } from '../config';
import { isConditionFailure } from './dynamo';
import { keys } from './keys';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** How long an old period's item is kept before TTL may delete it (it is never read again). */
const KEEP_SECONDS = 3600;
/** Storefronts remembered as refused until their next refill, per container. */
const MAX_REMEMBERED = 1000;

/** Milliseconds between refills: the time `burst` tokens take to come back at `requestsPerSecond`. */
export function refillPeriodMs(limit: StorefrontRateLimit): number {
  return Math.max(1, Math.round((limit.burst * 1000) / limit.requestsPerSecond));
}

export class DynamoRateLimiter {
  /** Storefronts whose bucket is known empty, and when it refills (ms since the epoch). */
  private readonly emptyUntil = new Map<string, number>();
  private readonly periodMs: number;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly limit: StorefrontRateLimit,
    private readonly nowMs: () => number = Date.now,
  ) {
    this.periodMs = refillPeriodMs(limit);
  }

  /** Takes one token from the storefront's bucket, or says how long until it refills. */
  async take(storefrontId: string): Promise<RateDecision> {
    const now = this.nowMs();
    const refilledAt = now - (now % this.periodMs);
    const refillsAt = refilledAt + this.periodMs;
    const retryAfterSeconds = Math.max(1, Math.ceil((refillsAt - now) / 1000));
    const knownEmptyUntil = this.emptyUntil.get(storefrontId);
    if (knownEmptyUntil !== undefined) {
      if (knownEmptyUntil > now) return { allowed: false, retryAfterSeconds };
      this.emptyUntil.delete(storefrontId);
    }
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.rateBucket(storefrontId, refilledAt),
          UpdateExpression:
            'SET tokens = if_not_exists(tokens, :burst) - :one, refilledAt = :refilledAt, expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(tokens) OR tokens >= :one',
          ExpressionAttributeValues: {
            ':burst': this.limit.burst,
            ':one': 1,
            ':refilledAt': new Date(refilledAt).toISOString(),
            ':expiresAt': Math.ceil(refillsAt / 1000) + KEEP_SECONDS,
          },
        }),
      );
      return { allowed: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      this.remember(storefrontId, refillsAt);
      return { allowed: false, retryAfterSeconds };
    }
  }

  private remember(storefrontId: string, refillsAt: number): void {
    if (this.emptyUntil.size >= MAX_REMEMBERED) {
      const oldest = this.emptyUntil.keys().next();
      if (!oldest.done) this.emptyUntil.delete(oldest.value);
    }
    this.emptyUntil.set(storefrontId, refillsAt);
  }
}
