import { send } from '../../infra/local/http-client';
import { startApi, type TestApi } from '../support/api';

let api: TestApi;

beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

describe('Function: health handler', () => {
  it('answers 200 without any key, and ignores a wrong one', async () => {
    // Act
    const anonymous = await send(`${api.runtime.apiUrl}/health`);
    const withWrongKey = await send(`${api.runtime.apiUrl}/health`, {
      headers: { authorization: 'Bearer sk_test_wrong_key_not_secret' },
    });

    // Assess
    for (const response of [anonymous, withWrongKey]) {
      expect(response.status).toBe(200);
      expect(response.json()).toEqual({ status: 'ok' });
    }
  });
});
