import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { newWebhookSecret, signWebhook, webhookHeaders } from '../../../shared/webhooks/signature';

/** The example of the Standard Webhooks specification (and of Svix's documentation). */
const SPEC = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

const body = JSON.stringify({
  id: 'evt_1',
  type: 'sale.approved',
  data: { object: { id: 'txn_1', amount: '25.55', description: 'Café ☕ 🎉' } },
});

/** What the reference library says of our headers, as a storefront would run it: `ok` or its error message. */
function verdict(secret: string, payload: string, headers: Record<string, string>): string {
  try {
    new Webhook(secret).verify(payload, headers);
    return 'ok';
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error.message;
    throw error;
  }
}

describe('Function: newWebhookSecret', () => {
  it('is whsec_ and the base64 of 24 random bytes', () => {
    // Act
    const secrets = Array.from({ length: 20 }, () => newWebhookSecret());

    // Assess
    for (const secret of secrets) {
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
      expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(24);
    }
    expect(new Set(secrets).size).toBe(secrets.length);
  });

  it('is accepted by the reference library', () => {
    // Act
    const secret = newWebhookSecret();

    // Assess
    expect(() => new Webhook(secret)).not.toThrow();
  });
});

describe('Function: signWebhook', () => {
  it("gives the specification's example signature", () => {
    // Act
    const signature = signWebhook(SPEC.secret, SPEC.id, SPEC.timestamp, SPEC.body);

    // Assess
    expect(signature).toBe(SPEC.signature);
  });

  it('signs exactly what the reference library signs, non-ASCII bodies included', () => {
    // Prepare
    const secret = newWebhookSecret();

    // Act
    const ours = signWebhook(secret, 'evt_1', 1_764_000_000, body);

    // Assess
    expect(ours).toBe(new Webhook(secret).sign('evt_1', new Date(1_764_000_000_000), body));
  });

  it.each([
    ['no prefix', 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
    ['an empty key', 'whsec_'],
    ['characters outside base64', 'whsec_MfKQ9r8GKYqrTwjU!D8ILPZIo2LaLaSw'],
    ['base64url', 'whsec_MfKQ9r8GKYqrTwjU-D8ILPZIo2LaLa_w'],
  ])('refuses a secret with %s, without showing it', (_case, secret) => {
    // Act
    const sign = () => signWebhook(secret, 'evt_1', 1_764_000_000, body);

    // Assess
    expect(sign).toThrow(new Error('a webhook secret is whsec_ followed by standard base64'));
  });

  it.each([[1.5], [-1], [Number.NaN]])('refuses the timestamp %p', (timestamp) => {
    // Act
    const sign = () => signWebhook(SPEC.secret, 'evt_1', timestamp, body);

    // Assess
    expect(sign).toThrow('whole number of seconds');
  });
});

describe('Function: webhookHeaders', () => {
  const secret = newWebhookSecret();

  it('gives the id, the Unix time in seconds and the signature of that time', () => {
    // Act
    const headers = webhookHeaders(secret, 'evt_1', new Date('2025-11-24T16:00:00.999Z'), body);

    // Assess
    expect(headers).toStrictEqual({
      'webhook-id': 'evt_1',
      'webhook-timestamp': '1764000000',
      'webhook-signature': signWebhook(secret, 'evt_1', 1_764_000_000, body),
    });
  });

  it('verifies with the reference library, which gives back the event', () => {
    // Prepare
    const headers = webhookHeaders(secret, 'evt_1', new Date(), body);

    // Act
    const event = new Webhook(secret).verify(body, headers);

    // Assess
    expect(event).toStrictEqual(JSON.parse(body));
  });

  it.each([
    [
      'a tampered body',
      () => body.replace('25.55', '99.99'),
      () => webhookHeaders(secret, 'evt_1', new Date(), body),
    ],
    [
      'a tampered timestamp',
      () => body,
      () => {
        const headers = webhookHeaders(secret, 'evt_1', new Date(), body);
        return { ...headers, 'webhook-timestamp': String(Number(headers['webhook-timestamp']) - 1) };
      },
    ],
    [
      'a tampered id',
      () => body,
      () => ({ ...webhookHeaders(secret, 'evt_1', new Date(), body), 'webhook-id': 'evt_2' }),
    ],
    ['another secret', () => body, () => webhookHeaders(newWebhookSecret(), 'evt_1', new Date(), body)],
  ])('fails verification with %s', (_case, payload, headers) => {
    // Act
    const result = verdict(secret, payload(), headers());

    // Assess
    expect(result).toBe('No matching signature found');
  });

  it.each([
    ['more than 5 minutes old', -301_000, 'Message timestamp too old'],
    ['more than 5 minutes ahead', 301_000, 'Message timestamp too new'],
  ])('fails verification when signed %s', (_case, offsetMs, message) => {
    // Prepare
    const headers = webhookHeaders(secret, 'evt_1', new Date(Date.now() + offsetMs), body);

    // Act
    const result = verdict(secret, body, headers);

    // Assess
    expect(result).toBe(message);
  });
});
