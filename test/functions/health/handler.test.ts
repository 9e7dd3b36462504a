import { openApiDocument } from '../../../infra/openapi/document';
import { startApi, type TestApi } from '../support/api';

let api: TestApi;

beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

describe('Function: health handler', () => {
  it('answers 200 without any key, and ignores a wrong one', async () => {
    // Act
    const anonymous = await api.get('/health', { apiKey: null });
    const withWrongKey = await api.get('/health', { apiKey: 'sk_test_wrong_key_not_secret' });

    // Assess
    for (const response of [anonymous, withWrongKey]) {
      expect(response.status).toBe(200);
      expect(response.json()).toEqual({ status: 'ok' });
    }
  });

  it('serves the OpenAPI document at /openapi.json without any key', async () => {
    // Act
    const response = await api.get('/openapi.json', { apiKey: null });

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.json()).toEqual(openApiDocument());
  });
});
