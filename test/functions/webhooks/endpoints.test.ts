/** POST, GET and DELETE /v1/webhook-endpoints through the local runtime. */
import { type ErrorAnswer, shopB, startApi, type TestApi, unique } from '../support/api';

interface CreatedEndpoint {
  id: string;
  url: string;
  events: string[];
  status: string;
  secret: string;
  createdAt: string;
}

describe('Routes: /v1/webhook-endpoints', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api?.close());

  it('creates an endpoint with its secret shown in the answer only, and lists it without', async () => {
    const key = unique('idem');
    const created = await api.post(
      '/v1/webhook-endpoints',
      { url: 'http://127.0.0.1:4999/hooks', events: ['sale.approved'] },
      { key },
    );

    expect(created.status).toBe(201);
    const endpoint = created.json<CreatedEndpoint>();
    expect(endpoint).toEqual({
      id: expect.stringMatching(/^we_[0-9A-Za-z]+$/),
      url: 'http://127.0.0.1:4999/hooks',
      events: ['sale.approved'],
      status: 'enabled',
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{32}$/),
      createdAt: expect.any(String),
    });
    expect(Buffer.from(endpoint.secret.slice(6), 'base64')).toHaveLength(24);

    const replay = await api.post(
      '/v1/webhook-endpoints',
      { url: 'http://127.0.0.1:4999/hooks', events: ['sale.approved'] },
      { key },
    );
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(endpoint);

    const list = await api.get('/v1/webhook-endpoints');
    expect(list.status).toBe(200);
    const listed = list
      .json<{ data: Omit<CreatedEndpoint, 'secret'>[] }>()
      .data.find((e) => e.id === endpoint.id);
    const { secret: _secret, ...withoutSecret } = endpoint;
    expect(listed).toEqual(withoutSecret);
    expect(list.text).not.toContain('whsec_');
    // Nothing of it in the table either.
    expect(JSON.stringify(await api.store.scan())).not.toContain(endpoint.secret);
  });

  it('subscribes to every type by default', async () => {
    const created = await api.post('/v1/webhook-endpoints', { url: 'http://localhost:4999/all' });
    expect(created.json<CreatedEndpoint>().events).toEqual(['*']);
  });

  it.each([
    [{ url: 'ftp://127.0.0.1/hooks' }, 'url'],
    [{ url: 'http://10.0.0.7/hooks' }, 'url'],
    [{ url: 'http://169.254.169.254/latest/meta-data' }, 'url'],
    [{ url: 'http://example.com/hooks' }, 'url'],
    [{ url: 'not a url' }, 'url'],
    [{ url: 'http://127.0.0.1:4999/x', events: ['sale.exploded'] }, 'events.0'],
    [{ url: 'http://127.0.0.1:4999/x', events: [] }, 'events'],
    [{ url: 'http://127.0.0.1:4999/x', secret: 'whsec_mine' }, undefined],
    [{}, 'url'],
  ])('refuses %j with a 400 naming the field, and creates nothing', async (body, param) => {
    const before = (await api.get('/v1/webhook-endpoints')).json<{ data: unknown[] }>().data.length;

    const refused = await api.post('/v1/webhook-endpoints', body);

    expect(refused.status).toBe(400);
    const { error } = refused.json<ErrorAnswer>();
    expect(error.type).toBe('invalid_request_error');
    if (param) expect(error.param).toBe(param);
    expect((await api.get('/v1/webhook-endpoints')).json<{ data: unknown[] }>().data).toHaveLength(before);
  });

  it('deletes an endpoint once; another storefront can neither see nor delete it', async () => {
    const endpoint = (
      await api.post('/v1/webhook-endpoints', { url: 'http://127.0.0.1:4999/gone' })
    ).json<CreatedEndpoint>();

    expect((await api.get('/v1/webhook-endpoints', { apiKey: shopB.apiKey })).text).not.toContain(
      endpoint.id,
    );
    expect((await api.delete(`/v1/webhook-endpoints/${endpoint.id}`, { apiKey: shopB.apiKey })).status).toBe(
      404,
    );

    expect((await api.delete(`/v1/webhook-endpoints/${endpoint.id}`)).status).toBe(204);
    expect((await api.get('/v1/webhook-endpoints')).text).not.toContain(endpoint.id);
    expect((await api.delete(`/v1/webhook-endpoints/${endpoint.id}`)).status).toBe(404);
    expect((await api.delete('/v1/webhook-endpoints/not-an-id')).status).toBe(400);
  });
});
