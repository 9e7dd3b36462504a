/**
 * Fake DNS answers for names the tests choose, so that a test can make a name resolve to a private address
 * (as a rebinding attacker would) without a DNS server. Other names, such as `localhost`, resolve for real.
 * Call from a test; restore with `jest.restoreAllMocks()`.
 */
import dns, { type LookupAddress, type LookupAllOptions } from 'node:dns';
import { isIP } from 'node:net';

type LookupAllCallback = (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void;

/** `names` maps a host name to its addresses; an empty list answers ENOTFOUND, as a missing name does. */
export function resolveNames(names: Record<string, string[]>): jest.SpyInstance {
  const real = dns.lookup;
  const fake = (hostname: string, options: LookupAllOptions, callback: LookupAllCallback): void => {
    const addresses = names[hostname];
    if (addresses === undefined) {
      real(hostname, options, callback);
      return;
    }
    if (addresses.length === 0) {
      const error: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
      error.code = 'ENOTFOUND';
      process.nextTick(callback, error, []);
      return;
    }
    const answer = addresses.map((address) => ({ address, family: isIP(address) }));
    process.nextTick(callback, null, answer);
  };
  // safeLookup always asks for every address, the only overload faked here.
  return jest.spyOn(dns, 'lookup').mockImplementation(fake as typeof dns.lookup);
}
