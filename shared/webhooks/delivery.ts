/**
 * A webhook delivery: one event to one endpoint, attempted until the endpoint answers 2xx or the retry
 * schedule runs out. It is the source of truth for what is owed; the queue only makes it prompt.
 */

export type DeliveryStatus = 'scheduled' | 'delivered' | 'failed' | 'canceled';

export interface DeliveryRef {
  storefrontId: string;
  eventId: string;
  endpointId: string;
}

export interface Delivery extends DeliveryRef {
  status: DeliveryStatus;
  /** Attempts made (or begun: an attempt is counted when it is claimed). */
  attempts: number;
  /** ISO time of the next attempt, while `scheduled`. */
  nextAttemptAt: string;
  createdAt: string;
  lastAttemptAt?: string;
  /** HTTP status of the last attempt, `null` when none came (timeout, refused address). */
  lastStatus?: number | null;
  lastError?: string;
  deliveredAt?: string;
}
