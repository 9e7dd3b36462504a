import { Webhook } from 'standardwebhooks';
import { postWebhook, WEBHOOK_USER_AGENT, type WebhookAttempt } from '../../../shared/webhooks/post';
import { newWebhookSecret, webhookHeaders } from '../../../shared/webhooks/signature';
import { resolveNames } from './fake-dns';
import { type Answer, closedPort, type Receiver, startReceiver } from './receiver';

const local = { timeoutMs: 2_000, allowLoopback: true };
const deployed = { timeoutMs: 2_000, allowLoopback: false };

/** A receiver's own token sits in the path and the query: an error may name the host, never these. */
const PATH = '/hooks/path-token-1?key=query-token-2';
const secret = newWebhookSecret();
const body = JSON.stringify({ id: 'evt_1', type: 'sale.approved', data: { object: { note: 'Café ☕ 🎉' } } });
const headers = webhookHeaders(secret, 'evt_1', new Date(), body);

let receivers: Receiver[] = [];

async function receiver(answer?: Answer): Promise<Receiver> {
  const started = await startReceiver(answer);
  receivers.push(started);
  return started;
}

afterEach(async () => {
  jest.restoreAllMocks();
  await Promise.all(receivers.map((started) => started.close()));
  receivers = [];
});

/** Asserts that a failure's text repeats nothing secret, and returns it. */
function expectFailureWithoutSecrets(attempt: WebhookAttempt): string {
  if (attempt.kind !== 'failed') throw new Error(`expected a failure, got ${attempt.kind}`);
  for (const secretPart of [
    body,
    'Café',
    headers['webhook-signature'],
    secret,
    'path-token-1',
    'query-token-2',
  ]) {
    expect(attempt.error).not.toContain(secretPart);
  }
  expect(attempt.error).not.toContain('/hooks');
  return attempt.error;
}

/** Polls until the receiver has no open connection left (the sender destroyed its socket), or fails. */
async function expectConnectionsClosed(target: Receiver): Promise<void> {
  const deadline = Date.now() + 1_000;
  while (target.openConnections() > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(target.openConnections()).toBe(0);
}

describe('Function: postWebhook', () => {
  it('POSTs the exact body with the signature headers, JSON content type and our user agent', async () => {
    // Prepare
    const target = await receiver({ status: 200, body: 'thanks' });

    // Act
    const attempt = await postWebhook(target.origin + PATH, body, headers, local);

    // Assess
    expect(attempt).toStrictEqual({ kind: 'delivered', status: 200, ms: expect.any(Number) });
    expect(target.received).toHaveLength(1);
    const [request] = target.received;
    expect(request?.method).toBe('POST');
    expect(request?.target).toBe(PATH);
    expect(request?.body.equals(Buffer.from(body, 'utf8'))).toBe(true);
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'user-agent': WEBHOOK_USER_AGENT,
      'webhook-id': 'evt_1',
      'webhook-timestamp': headers['webhook-timestamp'],
      'webhook-signature': headers['webhook-signature'],
      connection: 'close',
    });
  });

  it('sends what a storefront verifies with a Standard Webhooks library', async () => {
    // Prepare
    const target = await receiver();

    // Act
    await postWebhook(target.origin + PATH, body, headers, local);

    // Assess
    const request = target.received[0];
    if (!request) throw new Error('nothing received');
    const received = Object.fromEntries(
      ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((name) => [
        name,
        String(request.headers[name]),
      ]),
    );
    expect(new Webhook(secret).verify(request.body.toString('utf8'), received)).toStrictEqual(
      JSON.parse(body),
    );
  });

  it.each([200, 201, 202, 204, 299])('counts %i as delivered', async (status) => {
    // Prepare
    const target = await receiver({ status });

    // Act
    const attempt = await postWebhook(target.origin + PATH, body, headers, local);

    // Assess
    expect(attempt).toStrictEqual({ kind: 'delivered', status, ms: expect.any(Number) });
  });

  it('counts 410 as gone', async () => {
    // Prepare
    const target = await receiver({ status: 410, body: 'endpoint removed' });

    // Act
    const attempt = await postWebhook(target.origin + PATH, body, headers, local);

    // Assess
    expect(attempt).toStrictEqual({ kind: 'gone', status: 410, ms: expect.any(Number) });
  });

  it.each([400, 401, 404, 409, 429, 500, 502, 503])('fails with the status %i', async (status) => {
    // Prepare
    const target = await receiver({ status, body: 'no' });

    // Act
    const attempt = await postWebhook(target.origin + PATH, body, headers, local);

    // Assess
    expect(attempt).toStrictEqual({
      kind: 'failed',
      status,
      error: `answered HTTP ${status}`,
      ms: expect.any(Number),
    });
  });

  it.each([301, 302, 303, 307, 308])('does not follow a %i redirect', async (status) => {
    // Prepare
    const elsewhere = await receiver();
    const target = await receiver({ status, headers: { location: `${elsewhere.origin}/stolen` } });

    // Act
    const attempt = await postWebhook(target.origin + PATH, body, headers, local);

    // Assess
    expect(attempt).toStrictEqual({
      kind: 'failed',
      status,
      error: 'redirect not followed',
      ms: expect.any(Number),
    });
    expect(target.received).toHaveLength(1);
    expect(elsewhere.connections()).toBe(0);
  });

  it('fails after timeoutMs when the receiver never answers, and closes the connection', async () => {
    // Prepare
    const target = await receiver('hang');

    // Act: a second, so that even a loaded machine has read the request before the attempt gives up.
    const attempt = await postWebhook(target.origin + PATH, body, headers, { ...local, timeoutMs: 1_000 });

    // Assess
    expect(attempt).toStrictEqual({
      kind: 'failed',
      status: null,
      error: 'no answer within 1000 ms',
      ms: expect.any(Number),
    });
    expect(attempt.ms).toBeGreaterThanOrEqual(990);
    expect(attempt.ms).toBeLessThan(5_000);
    expect(target.received).toHaveLength(1);
    await expectConnectionsClosed(target);
  });

  it('fails after timeoutMs when a 2xx answer never ends: the whole answer must arrive in time', async () => {
    // Prepare
    const target = await receiver({ stallAfter: 10 });

    // Act: a second, so that even a loaded machine has the answer's start before the attempt gives up.
    const attempt = await postWebhook(target.origin + PATH, body, headers, { ...local, timeoutMs: 1_000 });

    // Assess
    expect(attempt).toMatchObject({
      kind: 'failed',
      status: 200,
      error: 'no complete answer within 1000 ms',
    });
    await expectConnectionsClosed(target);
  });

  it('stops reading a long answer after a few KB and lets the status decide', async () => {
    // Prepare: 64 KB of answer, and never the end of it.
    const target = await receiver({ stallAfter: 65_536 });

    // Act
    const attempt = await postWebhook(target.origin + PATH, body, headers, { ...local, timeoutMs: 1_000 });

    // Assess
    expect(attempt).toMatchObject({ kind: 'delivered', status: 200 });
    expect(attempt.ms).toBeLessThan(1_000);
    await expectConnectionsClosed(target);
  });

  it('fails when the connection is refused, naming the host but not the path', async () => {
    // Prepare
    const port = await closedPort();

    // Act
    const attempt = await postWebhook(`http://127.0.0.1:${port}${PATH}`, body, headers, local);

    // Assess
    expect(expectFailureWithoutSecrets(attempt)).toBe(`connection to 127.0.0.1:${port} failed: ECONNREFUSED`);
    expect(attempt.status).toBeNull();
  });

  it('delivers to localhost locally, resolving the name', async () => {
    // Prepare
    const target = await receiver();

    // Act
    const attempt = await postWebhook(`http://localhost:${target.port}${PATH}`, body, headers, local);

    // Assess
    expect(attempt).toMatchObject({ kind: 'delivered', status: 200 });
    expect(target.received[0]?.headers.host).toBe(`localhost:${target.port}`);
  });

  describe('when deployed', () => {
    it.each([
      ['http to 127.0.0.1', (port: number) => `http://127.0.0.1:${port}`, 'not an https URL'],
      [
        'https to 127.0.0.1',
        (port: number) => `https://127.0.0.1:${port}`,
        'host 127.0.0.1 is not a public address',
      ],
      ['https to [::1]', (port: number) => `https://[::1]:${port}`, 'host [::1] is not a public address'],
      [
        'https to a mapped 127.0.0.1',
        (port: number) => `https://[::ffff:127.0.0.1]:${port}`,
        'host [::ffff:7f00:1] is not a public address',
      ],
      ['https to localhost', (port: number) => `https://localhost:${port}`, 'host localhost is this machine'],
    ])('refuses %s without connecting', async (_case, url, reason) => {
      // Prepare
      const target = await receiver();

      // Act
      const attempt = await postWebhook(url(target.port) + PATH, body, headers, deployed);

      // Assess
      expect(expectFailureWithoutSecrets(attempt)).toBe(`endpoint refused: ${reason}`);
      expect(attempt.status).toBeNull();
      expect(target.connections()).toBe(0);
    });

    it('refuses at connect time a public name that now resolves to loopback (DNS rebinding)', async () => {
      // Prepare: the name passes the URL check; only the address it resolves to gives it away.
      const target = await receiver();
      resolveNames({ 'hooks.shop.example': ['127.0.0.1'] });

      // Act
      const attempt = await postWebhook(
        `https://hooks.shop.example:${target.port}${PATH}`,
        body,
        headers,
        deployed,
      );

      // Assess
      expect(expectFailureWithoutSecrets(attempt)).toBe(
        'endpoint refused: hooks.shop.example resolves to 127.0.0.1, which is not a public address',
      );
      expect(target.connections()).toBe(0);
    });
  });

  it('refuses locally too a name that resolves to a private address', async () => {
    // Prepare
    const target = await receiver();
    resolveNames({ 'hooks.shop.example': ['93.184.215.14', '10.0.0.7'] });

    // Act
    const attempt = await postWebhook(
      `https://hooks.shop.example:${target.port}${PATH}`,
      body,
      headers,
      local,
    );

    // Assess
    expect(expectFailureWithoutSecrets(attempt)).toBe(
      'endpoint refused: hooks.shop.example resolves to 10.0.0.7, which is not a public address',
    );
    expect(target.connections()).toBe(0);
  });

  it('resolves with a failure, never rejects, when Node refuses a header value', async () => {
    // Prepare
    const target = await receiver();

    // Act
    const attempt = await postWebhook(
      target.origin + PATH,
      body,
      { ...headers, 'webhook-id': 'evt_1\r\nx-injected: 1' },
      local,
    );

    // Assess
    expect(expectFailureWithoutSecrets(attempt)).toBe('request not sent: ERR_INVALID_CHAR');
    expect(target.connections()).toBe(0);
  });
});
