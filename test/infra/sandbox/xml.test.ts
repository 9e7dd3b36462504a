import { XMLParser } from 'fast-xml-parser';
import { type Sandbox, startSandbox } from '../../../infra/sandbox';

const DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false });

describe('Rendering: XML answers', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  const jwtSale = (amount: string, accept?: string) =>
    fetch(`${sandbox.url}/rest/v2/mobile/transactions/sale`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'api-key': sandbox.apiKey,
        mobilejwt: sandbox.issueJwt(),
        ...(accept ? { accept } : {}),
      },
      body: JSON.stringify({
        type: 'SALE',
        amount,
        'software-type': 'tests',
        'software-type-version': '1',
        'create-token': 'true',
      }),
    });

  it('answers XML when Accept asks for application/xml, in the documented structure', async () => {
    // Act
    const response = await jwtSale('15.55', 'application/xml');
    const text = await response.text();

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/xml');
    expect(text.startsWith(`${DECLARATION}<response>`)).toBe(true);
    const { response: envelope } = parser.parse(text);
    expect(envelope).toMatchObject({
      code: '200',
      status: 'success',
      'exchange-id': expect.stringMatching(/^ID-/),
    });
    expect(envelope.links).toEqual([
      expect.objectContaining({ rel: 'transaction' }),
      expect.objectContaining({ rel: 'token' }),
    ]);
    expect(envelope.payload['@_type']).toBe('transaction');
    expect(envelope.payload.transaction).toMatchObject({
      amount: '15.55',
      result: 'APPROVED',
      'result-code': '000',
      'create-token': 'true',
    });
    expect(envelope.payload.tokenResponse['token-id']).toBe(envelope.links[1].id);
  });

  it('answers XML when there is no Accept header at all', async () => {
    // Act
    const response = await jwtSale('1.00');

    // Assess
    expect((await response.text()).startsWith(DECLARATION)).toBe(true);
  });

  it('marks a decline as payload type errorTransaction, with transaction and error', async () => {
    // Act
    const response = await jwtSale('0.21', 'application/xml');

    // Assess
    expect(response.status).toBe(402);
    const { response: envelope } = parser.parse(await response.text());
    expect(envelope.payload['@_type']).toBe('errorTransaction');
    expect(envelope.payload.transaction).toMatchObject({ result: 'DECLINED', 'result-code': '012' });
    expect(envelope.payload.error['result-code']).toBe('012');
  });

  it('answers a search as repeated <transaction> elements inside <transactions>', async () => {
    // Prepare
    await jwtSale('1.00');
    await jwtSale('2.00');

    // Act
    const response = await fetch(`${sandbox.url}/rest/v2/transactions`, {
      headers: { accept: 'application/xml', 'api-key': sandbox.apiKey },
    });

    // Assess
    const { response: envelope } = parser.parse(await response.text());
    expect(envelope.payload['@_type']).toBe('transactions');
    expect(envelope.payload.transactions.transaction.map((item: { amount: string }) => item.amount)).toEqual([
      '2.00',
      '1.00',
    ]);
    expect(envelope.payload.page['total-elements']).toBe('2');
  });
});
