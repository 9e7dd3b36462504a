import type { ClearentGateway } from '../../../shared/clearent/types';
import { GatewayClients } from '../../../shared/payments/gateway-clients';

/** A stand-in client that remembers the key it was made with. */
const fakeClient = (apiKey: string) => ({ apiKey }) as unknown as ClearentGateway;
const keyOf = (client: ClearentGateway) => (client as unknown as { apiKey: string }).apiKey;

describe('Class: GatewayClients', () => {
  it('reuses the storefront client while its key stays the same', () => {
    // Prepare
    const create = jest.fn(fakeClient);
    const clients = new GatewayClients(create);

    // Act
    const first = clients.clientFor('acme', 'clearent_key_1');
    const again = clients.clientFor('acme', 'clearent_key_1');

    // Assess
    expect(again).toBe(first);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('replaces the storefront client when its key was rotated, keeping one client per storefront', () => {
    // Prepare
    const clients = new GatewayClients(fakeClient);
    const before = clients.clientFor('acme', 'clearent_key_1');

    // Act
    const rotated = clients.clientFor('acme', 'clearent_key_2');
    const afterRotation = clients.clientFor('acme', 'clearent_key_2');

    // Assess
    expect(rotated).not.toBe(before);
    expect(keyOf(rotated)).toBe('clearent_key_2');
    expect(afterRotation).toBe(rotated);
    expect(clients.size).toBe(1);
  });

  it('gives storefronts sharing a merchant key clients of their own', () => {
    // Prepare
    const clients = new GatewayClients(fakeClient);

    // Act
    const [acme, globex] = [
      clients.clientFor('acme', 'shared_key'),
      clients.clientFor('globex', 'shared_key'),
    ];

    // Assess
    expect(acme).not.toBe(globex);
    expect(clients.size).toBe(2);
  });

  it('keeps at most its bound, dropping the least recently used storefront', () => {
    // Prepare
    const create = jest.fn(fakeClient);
    const clients = new GatewayClients(create, 2);
    const acme = clients.clientFor('acme', 'key_a');
    clients.clientFor('globex', 'key_g');
    clients.clientFor('acme', 'key_a');

    // Act
    clients.clientFor('initech', 'key_i');
    const acmeAgain = clients.clientFor('acme', 'key_a');
    clients.clientFor('globex', 'key_g');

    // Assess
    expect(clients.size).toBe(2);
    expect(acmeAgain).toBe(acme);
    expect(create.mock.calls.map(([key]) => key)).toEqual(['key_a', 'key_g', 'key_i', 'key_g']);
  });
});
