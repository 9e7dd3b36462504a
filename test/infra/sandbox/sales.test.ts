import { type Sandbox, startSandbox } from '../../../infra/sandbox';
import { approvedSale, callGateway, cardSale, envelopeOf, jwtSale, saleCreatingToken } from './gateway-calls';

describe('Endpoints: sales (JWT, card and token)', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  it('approves a JWT sale with create-token, giving the token id in the link and in tokenResponse', async () => {
    // Act
    const answer = await jwtSale(sandbox, sandbox.issueJwt(), {
      amount: '15.55',
      'create-token': 'true',
      invoice: 'txn_1',
      'order-id': 'order-1',
      description: 'Two mugs',
      'customer-id': 'cus_1',
    });

    // Assess
    expect(answer.status).toBe(200);
    const { links, payload } = answer.body;
    expect(answer.body).toMatchObject({
      code: '200',
      status: 'success',
      payload: { payloadType: 'transaction' },
    });
    expect(payload.transaction).toMatchObject({
      amount: '15.55',
      type: 'SALE',
      result: 'APPROVED',
      'result-code': '000',
      card: 'XXXXXXXXXXXX1111',
      'last-four': '1111',
      'card-type': 'VISA',
      'exp-date': '1228',
      invoice: 'txn_1',
      'order-id': 'order-1',
      'create-token': true,
    });
    const tokenId = payload.tokenResponse?.['token-id'];
    expect(tokenId).toMatch(/^\d{19}$/);
    expect(links).toEqual([
      {
        rel: 'transaction',
        href: `/rest/v2/transactions?id=${payload.transaction?.id}`,
        id: payload.transaction?.id,
      },
      { rel: 'token', href: `/rest/v2/tokens/${tokenId}`, id: tokenId },
    ]);
    expect(payload.tokenResponse).toMatchObject({
      'last-four-digits': '1111',
      'times-used': '0',
      status: 'Active',
    });
    expect(sandbox.ledger.transactions[0]).toMatchObject({
      amount: 1555,
      invoice: 'txn_1',
      orderId: 'order-1',
      customerId: 'cus_1',
      description: 'Two mugs',
      tokenId,
      tokenCreated: true,
    });
  });

  it('approves a JWT sale without create-token and creates no token', async () => {
    // Act
    const answer = await jwtSale(sandbox, sandbox.issueJwt(), { amount: '5.00' });

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body.payload.tokenResponse).toBeUndefined();
    expect(answer.body.links?.map((link) => link.rel)).toEqual(['transaction']);
    expect(sandbox.ledger.tokens).toHaveLength(0);
  });

  it('charges a card token twice, through the sale and the generic endpoint, counting its uses', async () => {
    // Prepare
    const tokenId = await saleCreatingToken(sandbox);

    // Act
    const first = await cardSale(sandbox, tokenId, '1.00');
    const second = await callGateway(sandbox, 'POST', '/rest/v2/transactions', {
      type: 'SALE',
      amount: '2.50',
      card: tokenId,
      'exp-date': '1229',
    });
    const token = await callGateway(sandbox, 'GET', `/rest/v2/tokens/${tokenId}`);

    // Assess
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.body.payload.transaction).toMatchObject({
      amount: '2.50',
      'exp-date': '1229',
      'last-four': '1111',
    });
    expect(token.body.payload.tokenResponse?.['times-used']).toBe('2');
    expect(sandbox.ledger.charges.filter((charge) => charge.tokenId === tokenId)).toHaveLength(3);
  });

  it('charges a card number on the server endpoint', async () => {
    // Act
    const answer = await cardSale(sandbox, '378282246310005', '30.00');

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body.payload.transaction).toMatchObject({
      'card-type': 'AMERICAN EXPRESS',
      'last-four': '0005',
    });
  });

  it('declines a deleted token with an invalid-card result (402, 009)', async () => {
    // Prepare
    const tokenId = await saleCreatingToken(sandbox);
    await callGateway(sandbox, 'DELETE', `/rest/v2/tokens/${tokenId}`);

    // Act
    const answer = await cardSale(sandbox, tokenId, '1.00');

    // Assess
    expect(answer.status).toBe(402);
    expect(answer.body.payload.transaction).toMatchObject({ result: 'DECLINED', 'result-code': '009' });
    expect(answer.body.payload.error?.['result-code']).toBe('009');
    expect(sandbox.ledger.chargeCount).toBe(1);
  });

  it('declines a token id the gateway never issued (402, 009)', async () => {
    // Act
    const answer = await cardSale(sandbox, '1100000000000021112', '1.00');

    // Assess
    expect(answer.status).toBe(402);
    expect(answer.body.payload.transaction?.['result-code']).toBe('009');
  });

  it('declines an expired card (402, 004)', async () => {
    // Act
    const answer = await cardSale(sandbox, '4111111111111111', '1.00', { 'exp-date': '0120' });

    // Assess
    expect(answer.status).toBe(402);
    expect(answer.body.payload.transaction?.['result-code']).toBe('004');
  });

  it.each([
    ['amount missing', { amount: undefined }, '011'],
    ['amount as a number', { amount: 15.5 }, '002'],
    ['amount with three decimals', { amount: '1.005' }, '002'],
    ['zero amount', { amount: '0.00' }, '002'],
    ['card missing', { card: undefined }, '011'],
    ['exp-date not MMYY', { 'exp-date': '2028-12' }, '002'],
    ['card not a number', { card: 'tok_abc' }, '002'],
    ['another type', { type: 'AUTH' }, '002'],
    ['create-token not a flag', { 'create-token': 'yes' }, '002'],
  ])('refuses a sale with %s: 400, result code %s', async (_name, fields, resultCode) => {
    // Act
    const answer = await cardSale(sandbox, '4111111111111111', '1.00', fields);

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: '400', status: 'fail', payload: { payloadType: 'error' } });
    expect(answer.body.payload.error?.['result-code']).toBe(resultCode);
    expect(sandbox.ledger.transactions).toHaveLength(0);
  });

  it('refuses the generic endpoint without a type (400, 011)', async () => {
    // Act
    const answer = await callGateway(sandbox, 'POST', '/rest/v2/transactions', { amount: '1.00' });

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body.payload.error?.['result-code']).toBe('011');
  });

  it('refuses a body that is not JSON (400, 002)', async () => {
    // Act
    const response = await fetch(`${sandbox.url}/rest/v2/transactions/sale`, {
      method: 'POST',
      headers: { accept: 'application/json', 'api-key': sandbox.apiKey },
      body: '<request><amount>1.00</amount></request>',
    });

    // Assess
    expect(response.status).toBe(400);
    expect((await envelopeOf(response)).payload.error?.['result-code']).toBe('002');
  });

  it.each([
    ['a wrong api-key', { 'api-key': 'not_the_key' }],
    ['no api-key', { 'api-key': '' }],
  ])('answers 401 (042) to %s, without processing', async (_name, headers) => {
    // Act
    const answer = await callGateway(sandbox, 'POST', '/rest/v2/transactions/sale', {}, headers);

    // Assess
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({
      code: '401',
      status: 'fail',
      payload: {
        error: { 'error-message': 'UNAUTHORIZED', 'result-code': '042', 'time-stamp': expect.any(String) },
        payloadType: 'error',
      },
    });
    expect(sandbox.ledger.transactions).toHaveLength(0);
  });

  it('answers 401 on lookups and token calls too', async () => {
    // Act
    const lookup = await callGateway(sandbox, 'GET', '/rest/v2/transactions?id=1', undefined, {
      'api-key': 'x',
    });
    const token = await callGateway(sandbox, 'GET', '/rest/v2/tokens/1', undefined, { 'api-key': 'x' });

    // Assess
    expect([lookup.status, token.status]).toEqual([401, 401]);
  });

  it('answers 404 for a path Clearent does not have', async () => {
    // Act
    const answer = await callGateway(sandbox, 'GET', '/rest/v2/nothing-here');

    // Assess
    expect(answer.status).toBe(404);
    expect(answer.body.status).toBe('fail');
  });

  it('records the sale id it answers', async () => {
    // Act
    const id = await approvedSale(sandbox, '9.99');

    // Assess
    expect(sandbox.ledger.charges.map((charge) => charge.id)).toEqual([id]);
  });
});
