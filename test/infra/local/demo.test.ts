import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type LocalRuntime, startLocalRuntime } from '../../../infra/local/runtime';
import { allowTestKey, created, fakeFunctions, storefrontKey } from './fake-functions';
import { send } from './http-client';

const storefronts = [
  { storefrontId: 'demo', apiKey: storefrontKey },
  { storefrontId: 'other', apiKey: 'sk_test_other_not_secret' },
];

describe('Page: GET /demo and its storefront backend', () => {
  let local: LocalRuntime;
  const calls: APIGatewayProxyEventV2[] = [];
  const recordCall = async (event: APIGatewayProxyEventV2) => {
    calls.push(event);
    return created();
  };
  const fromPage = () => ({ origin: new URL(local.apiUrl).origin, 'content-type': 'application/json' });

  beforeAll(async () => {
    local = await startLocalRuntime({
      port: 0,
      sandboxPort: 0,
      dataDir: null,
      storefronts,
      loadFunction: fakeFunctions({
        authorizer: allowTestKey,
        'jwt-sale': recordCall,
        'token-sale': recordCall,
        refund: recordCall,
      }),
    });
  });

  afterAll(async () => {
    await local.close();
  });

  beforeEach(() => {
    calls.length = 0;
  });

  it('serves the page loading the SDK from the gateway, framing only the gateway, without the storefront key', async () => {
    // Act
    const page = await send(local.demoUrl ?? '');
    const script = await send(`${local.apiUrl}/demo/checkout.js`);

    // Assess
    const gateway = local.sandbox?.url;
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toContain(`<script src="${gateway}/js-sdk/js/clearent-host.js" defer></script>`);
    expect(page.text).toContain(`data-clearent-base-url="${gateway}"`);
    expect(page.headers['content-security-policy']).toContain(`frame-src ${gateway};`);
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.text + script.text).not.toContain(storefrontKey);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('charges a JWT as the first storefront, with a fresh Idempotency-Key, saving the card to the demo customer', async () => {
    // Act
    const first = await send(`${local.apiUrl}/demo/pay`, {
      method: 'POST',
      headers: fromPage(),
      body: JSON.stringify({ amount: '12.34', jwt: 'a.b.c' }),
    });
    await send(`${local.apiUrl}/demo/pay`, {
      method: 'POST',
      headers: fromPage(),
      body: JSON.stringify({ amount: '12.34', jwt: 'd.e.f' }),
    });

    // Assess
    expect(first.status).toBe(201);
    expect(first.json()).toEqual({ id: 'txn_1' });
    expect(calls.map((call) => call.routeKey)).toEqual(['POST /v1/sales/jwt', 'POST /v1/sales/jwt']);
    expect(calls[0]?.headers.authorization).toBe(`Bearer ${storefrontKey}`);
    expect(JSON.parse(calls[0]?.body ?? '')).toEqual({
      amount: '12.34',
      jwt: 'a.b.c',
      customerId: 'cus_demo',
      description: 'Demo checkout',
    });
    const keys = calls.map((call) => call.headers['idempotency-key']);
    expect(keys[0]).toMatch(/^demo-[0-9a-f-]{36}$/);
    expect(keys[1]).not.toBe(keys[0]);
  });

  it('charges the saved card and refunds through the token-sale and refund routes', async () => {
    // Act
    const payAgain = await send(`${local.apiUrl}/demo/pay-again`, {
      method: 'POST',
      headers: fromPage(),
      body: JSON.stringify({ amount: '5.00', cardId: 'card_1' }),
    });
    const refund = await send(`${local.apiUrl}/demo/refund`, {
      method: 'POST',
      headers: fromPage(),
      body: JSON.stringify({ transactionId: 'txn_1' }),
    });

    // Assess
    expect([payAgain.status, refund.status]).toEqual([201, 201]);
    expect(calls.map((call) => [call.routeKey, JSON.parse(call.body ?? '')])).toEqual([
      [
        'POST /v1/sales/token',
        {
          amount: '5.00',
          customerId: 'cus_demo',
          cardId: 'card_1',
          description: 'Demo checkout, saved card',
        },
      ],
      ['POST /v1/refunds', { transactionId: 'txn_1', reason: 'Demo refund' }],
    ]);
  });

  it.each([
    ['no Origin', {}],
    ['another site', { origin: 'https://evil.example' }],
    ['another port', { origin: 'http://127.0.0.1:1' }],
  ])('refuses a call from %s (403), so no other page can charge or refund through it', async (_, headers) => {
    // Act
    const response = await send(`${local.apiUrl}/demo/refund`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ transactionId: 'txn_1' }),
    });

    // Assess
    expect(response.status).toBe(403);
    expect(response.json()).toMatchObject({ error: { code: 'cross_origin' } });
    expect(calls).toEqual([]);
  });

  it('refuses a body with unknown or missing fields (400) without calling the API', async () => {
    // Act
    const response = await send(`${local.apiUrl}/demo/pay`, {
      method: 'POST',
      headers: fromPage(),
      body: JSON.stringify({ amount: '1.00', jwt: 'a.b.c', customerId: 'cus_someone_else' }),
    });

    // Assess
    expect(response.status).toBe(400);
    expect(response.json()).toMatchObject({
      error: { type: 'invalid_request_error', code: 'validation_error' },
    });
    expect(calls).toEqual([]);
  });
});

describe('Page: GET /demo, with CLEARENT_BASE_URL set', () => {
  const clearentBaseUrl = 'https://gateway-sb.clearent.net';
  const loadFunction = fakeFunctions({});

  it("loads Clearent's own SDK from the URL Clearent documents, with the storefront's public key", async () => {
    // Prepare
    const local = await startLocalRuntime({
      port: 0,
      dataDir: null,
      storefronts,
      clearentBaseUrl,
      clearentPublicKey: 'pk_"test"<key>',
      loadFunction,
    });

    // Act
    const page = await send(local.demoUrl ?? '');
    await local.close();

    // Assess
    expect(page.text).toContain(
      `<script src="${clearentBaseUrl}/js-sdk/js/clearent-host.js" defer></script>`,
    );
    expect(page.text).toContain('data-public-key="pk_&#34;test&#34;&#60;key&#62;"');
    expect(page.headers['content-security-policy']).toContain(`script-src 'self' ${clearentBaseUrl};`);
  });

  it('leaves the public key empty without CLEARENT_PUBLIC_KEY, so the page asks for it', async () => {
    // Prepare
    const local = await startLocalRuntime({
      port: 0,
      dataDir: null,
      storefronts,
      clearentBaseUrl,
      loadFunction,
    });

    // Act
    const page = await send(local.demoUrl ?? '');
    await local.close();

    // Assess
    expect(page.text).toContain('data-public-key=""');
  });

  it('has no demo without a storefront to act as', async () => {
    // Prepare
    const local = await startLocalRuntime({
      port: 0,
      dataDir: null,
      storefronts: [],
      clearentBaseUrl,
      loadFunction,
    });

    // Act
    const page = await send(`${local.apiUrl}/demo`);
    await local.close();

    // Assess
    expect(local.demoUrl).toBeUndefined();
    expect(page.status).toBe(404);
  });
});
