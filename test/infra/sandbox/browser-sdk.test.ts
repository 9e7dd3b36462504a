import { type Sandbox, startSandbox } from '../../../infra/sandbox';

describe("Files: the stand-in for Clearent's JavaScript SDK", () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());

  it('serves the SDK where Clearent serves its own, defining ClearentSDK.init and getPaymentToken', async () => {
    // Act
    const response = await fetch(`${sandbox.url}/js-sdk/js/clearent-host.js`);
    const script = await response.text();

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script).toContain('window.ClearentSDK = Object.freeze({ init, getPaymentToken, reset })');
  });

  it('serves the card form with a policy that lets it talk to its own origin only', async () => {
    // Act
    const form = await fetch(`${sandbox.url}/js-sdk/payment-form.html`);
    const [script, style] = await Promise.all([
      fetch(`${sandbox.url}/js-sdk/js/payment-form.js`),
      fetch(`${sandbox.url}/js-sdk/css/payment-form.css`),
    ]);

    // Assess
    expect(form.status).toBe(200);
    expect(form.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(form.headers.get('content-security-policy')).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; form-action 'none'; base-uri 'none'",
    );
    expect(await form.text()).toContain('<script src="/js-sdk/js/payment-form.js"></script>');
    expect([script.status, style.status]).toEqual([200, 200]);
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('does not count the files as gateway requests, and answers other paths as Clearent would (404)', async () => {
    // Act
    await fetch(`${sandbox.url}/js-sdk/js/clearent-host.js`);
    const unknown = await fetch(`${sandbox.url}/js-sdk/js/other.js`, {
      headers: { accept: 'application/json' },
    });

    // Assess
    expect(unknown.status).toBe(404);
    expect(sandbox.ledger.requestCounts).toEqual({ 'GET /js-sdk/js/other.js': 1 });
  });
});
