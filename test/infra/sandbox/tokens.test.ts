import { type Sandbox, startSandbox } from '../../../infra/sandbox';
import { callGateway, saleCreatingToken } from './gateway-calls';

describe('Endpoints: /rest/v2/tokens', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  it('reads a token created by a sale', async () => {
    // Prepare
    const tokenId = await saleCreatingToken(sandbox);

    // Act
    const answer = await callGateway(sandbox, 'GET', `/rest/v2/tokens/${tokenId}`);

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body.payload).toMatchObject({
      payloadType: 'tokenResponse',
      tokenResponse: {
        'token-id': tokenId,
        'last-four-digits': '1111',
        'card-type': 'VISA',
        status: 'Active',
      },
    });
    expect(answer.body.links).toEqual([{ rel: 'token', href: `/rest/v2/tokens/${tokenId}`, id: tokenId }]);
  });

  it('deletes a token: 200 once, then 404 for reads and deletes', async () => {
    // Prepare
    const tokenId = await saleCreatingToken(sandbox);

    // Act
    const deleted = await callGateway(sandbox, 'DELETE', `/rest/v2/tokens/${tokenId}`);
    const readAfter = await callGateway(sandbox, 'GET', `/rest/v2/tokens/${tokenId}`);
    const deleteAgain = await callGateway(sandbox, 'DELETE', `/rest/v2/tokens/${tokenId}`);

    // Assess
    expect(deleted.status).toBe(200);
    expect(deleted.body.payload.tokenResponse?.status).toBe('Deleted');
    expect(readAfter.status).toBe(404);
    expect(readAfter.body).toMatchObject({ code: '404', status: 'fail', payload: { payloadType: 'error' } });
    expect(deleteAgain.status).toBe(404);
    expect(sandbox.ledger.tokens).toEqual([expect.objectContaining({ tokenId, deleted: true })]);
  });

  it('answers 404 for a token it never issued', async () => {
    // Act
    const answer = await callGateway(sandbox, 'GET', '/rest/v2/tokens/1100000000000099999');

    // Assess
    expect(answer.status).toBe(404);
  });

  it('creates a token from a card number without charging it', async () => {
    // Act
    const answer = await callGateway(sandbox, 'POST', '/rest/v2/tokens', {
      card: '6011000990139424',
      'exp-date': '0930',
      'token-description': 'backup card',
    });

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body.payload.tokenResponse).toMatchObject({
      'card-type': 'DISCOVER',
      'last-four-digits': '9424',
      'exp-date': '0930',
      description: 'backup card',
    });
    expect(sandbox.ledger.transactions).toHaveLength(0);
  });

  it('refuses to tokenize an invalid card number (400, 009)', async () => {
    // Act
    const answer = await callGateway(sandbox, 'POST', '/rest/v2/tokens', {
      card: '1234',
      'exp-date': '0930',
    });

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body.payload.error?.['result-code']).toBe('009');
  });
});
