/**
 * The Clearent clients of a container, one per storefront, reused across requests so that their
 * keep-alive connections are. Keyed by storefront id, never by the `api-key`: a secret is no lookup key
 * (it would sit in the map's keys for the container's life), and a storefront whose key was rotated
 * must get its client replaced, not a second one beside the first. Bounded: past `maxClients`
 * storefronts, the least recently used one's client is dropped (its idle sockets close on their own).
 *
 * @example
 * const clients = new GatewayClients((apiKey) => createClearentClient({ ...config, apiKey }));
 * const gateway = clients.clientFor('acme', credentials.apiKey);
 */
import { createHash } from 'node:crypto';
import type { ClearentGateway } from '../clearent/types';

interface Entry {
  /** SHA-256 of the api-key the client was made with: tells a rotated key without keeping the key. */
  keyDigest: string;
  client: ClearentGateway;
}

export const DEFAULT_MAX_CLIENTS = 100;

export class GatewayClients {
  /** In least to most recently used order (a Map keeps insertion order). */
  private readonly byStorefront = new Map<string, Entry>();

  constructor(
    private readonly create: (apiKey: string) => ClearentGateway,
    private readonly maxClients = DEFAULT_MAX_CLIENTS,
  ) {}

  /** The storefront's client for `apiKey`: the one it has, or a new one replacing it if the key changed. */
  clientFor(storefrontId: string, apiKey: string): ClearentGateway {
    const keyDigest = createHash('sha256').update(apiKey, 'utf8').digest('hex');
    const existing = this.byStorefront.get(storefrontId);
    this.byStorefront.delete(storefrontId);
    const entry =
      existing !== undefined && existing.keyDigest === keyDigest
        ? existing
        : { keyDigest, client: this.create(apiKey) };
    if (this.byStorefront.size >= this.maxClients) {
      const leastRecent = this.byStorefront.keys().next();
      if (!leastRecent.done) this.byStorefront.delete(leastRecent.value);
    }
    this.byStorefront.set(storefrontId, entry);
    return entry.client;
  }

  /** How many clients are kept. */
  get size(): number {
    return this.byStorefront.size;
  }
}
