/**
 * The demo checkout in a real browser (headless Chromium): the page, the simulator's SDK stand-in and its
 * card form in a cross-origin iframe, the demo storefront backend, and the real handlers behind the
 * local API Gateway. One browser and one runtime for the file; the tests run in order, as a person would.
 */
import type { Browser, Page } from 'playwright-core';
import { demoCustomerId } from '../../../infra/local/demo-storefront';
import { type LocalRuntime, startLocalRuntime } from '../../../infra/local/runtime';
import type { TransactionResource } from '../../../shared/payments/transaction';
import { describeInBrowser, launchChromium } from '../../support/chromium';

const storefront = { storefrontId: 'demo', apiKey: 'sk_test_demo_browser_not_secret' };
const TEST_CARD = '4111111111111111';
const browserTimeoutMs = 60_000;

describeInBrowser()('Page: GET /demo, in Chromium', () => {
  let local: LocalRuntime;
  let browser: Browser;
  let page: Page;
  /** Every request the browser made, and every response body it received. */
  const requests: { url: string; body: string; authorization?: string }[] = [];
  const responseBodies: Promise<string>[] = [];

  /** Types a card into the gateway's iframe, as a person would. */
  const typeCard = async () => {
    const cardForm = page.frameLocator('#payment-form iframe');
    await cardForm.locator('#card').fill(TEST_CARD);
    await cardForm.locator('#exp-date').fill('12/28');
    await cardForm.locator('#csc').fill('999');
  };

  /** Clicks a button and waits until the page has told the outcome; answers what it said. */
  const act = async (button: string) => {
    await page.locator(button).click();
    await page.locator('#outcome:not(.working)').waitFor();
    return (await page.locator('#outcome').textContent()) ?? '';
  };

  const apiGet = async <Body>(path: string): Promise<Body> => {
    const response = await fetch(`${local.apiUrl}${path}`, {
      headers: { authorization: `Bearer ${storefront.apiKey}` },
    });
    return (await response.json()) as Body;
  };

  beforeAll(async () => {
    [local, browser] = await Promise.all([
      startLocalRuntime({ port: 0, sandboxPort: 0, dataDir: null, storefronts: [storefront] }),
      launchChromium(),
    ]);
    page = await browser.newPage();
    page.setDefaultTimeout(20_000);
    page.on('request', (request) =>
      requests.push({
        url: request.url(),
        body: request.postData() ?? '',
        authorization: request.headers().authorization,
      }),
    );
    page.on('response', (response) => responseBodies.push(response.text().catch(() => '')));
    await page.goto(local.demoUrl ?? '');
  }, browserTimeoutMs);

  afterAll(async () => {
    await browser?.close();
    await local?.close();
  });

  it(
    'pays 12.34 with the card form, saves the card, pays again with it and refunds: three transactions in the API',
    async () => {
      // Act
      expect(await page.locator('#amount').inputValue()).toBe('12.34');
      await typeCard();
      const paid = await act('#pay');
      const savedCard = await page.locator('#saved-card-label').textContent();
      const paidAgain = await act('#pay-again');
      const refunded = await act('#refund');
      const rows = await page.locator('#transactions tr[data-transaction-id]').all();
      const shownIds = await Promise.all(rows.map((row) => row.getAttribute('data-transaction-id')));

      // Assess
      expect(paid).toMatch(/^Approved: \$12\.34 charged to VISA •••• 1111 \(authorization \w+\)\./);
      expect(paid).toContain('Card saved: VISA •••• 1111.');
      expect(savedCard).toBe('VISA •••• 1111');
      expect(paidAgain).toMatch(/^Approved: \$12\.34 charged to VISA •••• 1111/);
      expect(refunded).toBe('Refund approved: $12.34 back to VISA •••• 1111.');
      const { data } = await apiGet<{ data: TransactionResource[] }>(
        `/v1/transactions?customerId=${demoCustomerId}`,
      );
      const [refund, tokenSale, jwtSale] = data;
      expect(data).toHaveLength(3);
      expect(shownIds).toEqual(data.map((transaction) => transaction.id));
      expect(jwtSale).toMatchObject({
        type: 'sale',
        status: 'approved',
        amount: '12.34',
        refundedAmount: '0.00',
      });
      expect(jwtSale?.card).toMatchObject({ brand: 'VISA', last4: '1111' });
      expect(jwtSale?.cardId).toMatch(/^card_/);
      expect(tokenSale).toMatchObject({
        type: 'sale',
        status: 'approved',
        amount: '12.34',
        refundedAmount: '12.34',
        cardId: jwtSale?.cardId,
      });
      expect(refund).toMatchObject({
        type: 'refund',
        status: 'approved',
        amount: '12.34',
        saleId: tokenSale?.id,
      });
    },
    browserTimeoutMs,
  );

  it('tells the person when the card form refuses a card, and sends it nowhere', async () => {
    // Prepare
    const before = requests.length;
    await page.frameLocator('#payment-form iframe').locator('#card').fill('4111111111111112');

    // Act
    const refused = await act('#pay');

    // Assess
    expect(refused).toBe('The card form says: Check the card number');
    expect(requests.slice(before)).toEqual([]);
  });

  it(
    'tells the person why a card was declined: 0.21 declines with 012',
    async () => {
      // Prepare
      await page.locator('#amount').fill('0.21');
      await typeCard();

      // Act
      const declined = await act('#pay');

      // Assess
      expect(declined).toMatch(/^Declined \(012\): .+\. Nothing was charged\.$/);
      expect(await page.locator('#transactions tr.declined').count()).toBe(1);
    },
    browserTimeoutMs,
  );

  it('keeps the card in the gateway’s iframe and the storefront key on the server', async () => {
    // Act
    const withCard = requests.filter((request) => request.body.includes(TEST_CARD));
    const frameUrl =
      page
        .frames()
        .find((frame) => frame !== page.mainFrame())
        ?.url() ?? '';
    const pageCanReadForm = await page.evaluate(() => {
      // Runs in the page; this project's TypeScript has no DOM types, so the one property read is typed here.
      const { document } = globalThis as unknown as {
        document: { querySelector(selector: string): { contentDocument: unknown } | null };
      };
      return document.querySelector('iframe')?.contentDocument !== null;
    });
    const bodies = await Promise.all(responseBodies);

    // Assess: the card went only to the gateway's JWT endpoint, from its own origin, once per payment.
    expect(withCard.map((request) => request.url)).toEqual([
      `${local.sandbox?.url}/rest/v2/mobilejwt/manual`,
      `${local.sandbox?.url}/rest/v2/mobilejwt/manual`,
    ]);
    expect(frameUrl.startsWith(`${local.sandbox?.url}/`)).toBe(true);
    expect(pageCanReadForm).toBe(false);
    expect(await page.content()).not.toContain(TEST_CARD);
    // Assess: the storefront's API key never reached the browser, nor did the browser send any.
    expect(bodies.some((body) => body.includes(storefront.apiKey))).toBe(false);
    expect(requests.every((request) => request.authorization === undefined)).toBe(true);
  });
});
