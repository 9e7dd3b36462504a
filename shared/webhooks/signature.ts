/**
 * Webhook signatures as Standard Webhooks v1 (contract: Webhooks), so that a storefront can verify them with
 * any Standard Webhooks library instead of code of ours: an HMAC-SHA256 of `<id>.<timestamp>.<body>`, keyed
 * with the endpoint's secret. The timestamp is signed too, which lets a receiver refuse replays of old events.
 */
import { createHmac, randomBytes } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';
/** 192 bits: what Standard Webhooks libraries generate, and far beyond guessing. */
const SECRET_BYTES = 24;
/** Standard base64 with padding, as the libraries decode it (they do not accept base64url). */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The three headers every delivery carries; a type (not an interface) so it fits `Record<string, string>`. */
export type WebhookHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/**
 * A new endpoint secret, shown to the storefront once when it registers the endpoint.
 *
 * @example
 * newWebhookSecret(); // 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
 */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(SECRET_BYTES).toString('base64');
}

/**
 * The HMAC key inside a secret. Node's base64 decoder silently skips characters it does not know, so a
 * damaged secret would sign with some other key and every delivery would fail verification far away from
 * here; checking the shape first makes that an error at the sender instead. The message never shows the secret.
 */
function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : '';
  if (encoded === '' || !BASE64.test(encoded)) {
    throw new Error(`a webhook secret is ${SECRET_PREFIX} followed by standard base64`);
  }
  return Buffer.from(encoded, 'base64');
}

/**
 * The `webhook-signature` value for one delivery: `v1,` and the base64 HMAC-SHA256 of `<id>.<timestamp>.<body>`.
 * `body` must be the exact string sent: the receiver verifies the bytes it got, not a re-serialisation.
 *
 * @example
 * signWebhook(secret, 'evt_123', 1_700_000_000, '{"id":"evt_123"}'); // 'v1,K5oZfz...='
 */
export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): string {
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0) {
    throw new Error('a webhook timestamp is a whole number of seconds since the Unix epoch');
  }
  const digest = createHmac('sha256', secretKey(secret))
    .update(`${id}.${timestampSeconds}.${body}`, 'utf8')
    .digest('base64');
  return `v1,${digest}`;
}

/**
 * The signed headers of one delivery attempt made at `now`. Each attempt is signed afresh: receivers
 * refuse timestamps more than a few minutes old, and a retry may come a day after the event.
 *
 * @example
 * const headers = webhookHeaders(secret, event.id, new Date(), body);
 */
export function webhookHeaders(secret: string, id: string, now: Date, body: string): WebhookHeaders {
  const timestampSeconds = Math.floor(now.getTime() / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': signWebhook(secret, id, timestampSeconds, body),
  };
}
