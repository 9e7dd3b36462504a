/**
 * Where webhooks may be sent (contract: Webhooks). A storefront chooses the URL and our Lambda makes the
 * request, so without this policy a storefront could make us call the instance metadata service, something
 * inside the VPC, or a service on this machine (server-side request forgery).
 *
 * Two checks, because either alone is not enough:
 * - `checkEndpointUrl` when an endpoint is registered (and again before each delivery): scheme, credentials,
 *   length, and hosts that are forbidden by their very name or address.
 * - `safeLookup` when a delivery connects: a name that resolved to a public address at registration may
 *   resolve to 10.0.0.1 now (DNS rebinding), so each resolved address is checked, and the socket connects
 *   to exactly the addresses checked. Node does not call `lookup` for an IP literal: those are left to the URL check.
 */
import dns from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { lazy } from '../lazy';

export interface DestinationPolicy {
  /** Local runtime only: endpoints on this machine (`127.0.0.1`, `[::1]`, `localhost`), over http too. */
  allowLoopback: boolean;
}

export type EndpointUrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

export const MAX_ENDPOINT_URL_LENGTH = 2048;

/** Hosts a local endpoint may name; anything else must be public, as when deployed. */
const LOCAL_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * IPv4 ranges that are not globally reachable (IANA IPv4 Special-Purpose Address Registry), plus multicast.
 * A public webhook receiver never lives in one of them.
 */
const FORBIDDEN_IPV4: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8], // "this network", including the unspecified 0.0.0.0 (which Linux connects to itself)
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, including the instance metadata service 169.254.169.254
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // deprecated 6to4 relays
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, including broadcast 255.255.255.255
];

/** The same for IPv6 (IANA IPv6 Special-Purpose Address Registry), plus multicast and deprecated site-local. */
const FORBIDDEN_IPV6: ReadonlyArray<readonly [string, number]> = [
  ['::', 96], // unspecified ::, loopback ::1 and the deprecated IPv4-compatible ::a.b.c.d
  ['::ffff:0:0', 96], // IPv4-mapped: an IPv4 address in disguise, never a public IPv6 destination
  ['64:ff9b:1::', 48], // local-use IPv4/IPv6 translation
  ['100::', 64], // discard-only
  ['2001::', 23], // IETF protocol assignments, including Teredo, which embeds an IPv4 address
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4, which embeds an IPv4 address
  ['3fff::', 20], // documentation
  ['5f00::', 16], // segment routing identifiers
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // deprecated site-local
  ['ff00::', 8], // multicast
];

/**
 * One list per family: a BlockList checks an IPv4 address against its IPv6 rules as IPv4-mapped, so the
 * ::ffff:0:0/96 rule in a shared list would forbid every IPv4 address. Built on the first check, not at
 * import (about 1.7 ms, which a function's GET and DELETE requests do not need: issue 11).
 */
const blockLists = /* @__PURE__ */ lazy(() => {
  const forbiddenIpv4 = new BlockList();
  const forbiddenIpv6 = new BlockList();
  for (const [network, prefix] of FORBIDDEN_IPV4) {
    forbiddenIpv4.addSubnet(network, prefix, 'ipv4');
    // NAT64 (64:ff9b::/96) is public by itself, but a VPC with DNS64 and NAT64 would translate
    // 64:ff9b::a00:1 back to 10.0.0.1: the same ranges, translated.
    forbiddenIpv6.addSubnet(`64:ff9b::${network}`, 96 + prefix, 'ipv6');
  }
  for (const [network, prefix] of FORBIDDEN_IPV6) forbiddenIpv6.addSubnet(network, prefix, 'ipv6');
  /** BlockList also matches IPv4-mapped IPv6 addresses (::ffff:127.0.0.1) against its IPv4 rules. */
  const loopback = new BlockList();
  loopback.addSubnet('127.0.0.0', 8, 'ipv4');
  loopback.addAddress('::1', 'ipv6');
  return { forbiddenIpv4, forbiddenIpv6, loopback };
});

/**
 * True when `ip` is not a public unicast address, or is not an IP address at all. An address with an IPv6
 * zone (`fe80::1%eth0`) is forbidden: a zone only means something for link-local addresses.
 *
 * @example
 * isForbiddenAddress('169.254.169.254'); // true
 * isForbiddenAddress('::ffff:127.0.0.1'); // true
 * isForbiddenAddress('93.184.215.14'); // false
 */
export function isForbiddenAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 0 || ip.includes('%')) return true;
  const { forbiddenIpv4, forbiddenIpv6 } = blockLists();
  return family === 4 ? forbiddenIpv4.check(ip, 'ipv4') : forbiddenIpv6.check(ip, 'ipv6');
}

function isAllowedAddress(ip: string, policy: DestinationPolicy): boolean {
  if (!isForbiddenAddress(ip)) return true;
  return policy.allowLoopback && blockLists().loopback.check(ip, isIP(ip) === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Whether a storefront may register `url` as a webhook endpoint (and whether we may still send to it).
 * Reasons name at most the host, never the path or query, which may hold the receiver's own token.
 *
 * @example
 * checkEndpointUrl('https://shop.example/hooks', { allowLoopback: false }); // { ok: true, url }
 * checkEndpointUrl('http://127.0.0.1:4000/hooks', { allowLoopback: false }); // { ok: false, reason: '...' }
 */
export function checkEndpointUrl(url: string, policy: DestinationPolicy): EndpointUrlCheck {
  const refuse = (reason: string): EndpointUrlCheck => ({ ok: false, reason });
  // Checked before parsing too, so that a huge string is not parsed at all.
  if (url.length > MAX_ENDPOINT_URL_LENGTH)
    return refuse(`longer than ${MAX_ENDPOINT_URL_LENGTH} characters`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return refuse('not a valid absolute URL');
  }
  if (parsed.href.length > MAX_ENDPOINT_URL_LENGTH) {
    return refuse(`longer than ${MAX_ENDPOINT_URL_LENGTH} characters`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return refuse('not an https URL');
  if (parsed.username !== '' || parsed.password !== '') return refuse('a URL must not contain credentials');

  // The URL parser has already normalised the host: lower case, punycode, and IPv4 in any notation
  // (2130706433, 0x7f.1) rewritten as dotted decimal, so these comparisons see what a connection would use.
  const host = parsed.hostname;
  if (policy.allowLoopback && LOCAL_HOSTS.has(host)) return { ok: true, url: parsed };
  if (parsed.protocol !== 'https:') {
    return refuse(policy.allowLoopback ? 'http is only allowed to this machine' : 'not an https URL');
  }
  const address = host.startsWith('[') ? host.slice(1, -1) : host;
  if (isIP(address) !== 0) {
    return isForbiddenAddress(address)
      ? refuse(`host ${host} is not a public address`)
      : { ok: true, url: parsed };
  }
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (name === 'localhost' || name.endsWith('.localhost')) return refuse(`host ${host} is this machine`);
  // A public name is under a top-level domain; a single label (`intranet`, `metadata`) can only mean a
  // name of the local network, completed by a DNS search domain.
  if (!name.includes('.')) return refuse(`host ${host} is not a public name`);
  return { ok: true, url: parsed };
}

/** A delivery refused at connect time: the host resolved to an address we must not call. */
export class ForbiddenAddressError extends Error {
  override readonly name = 'ForbiddenAddressError';
  readonly code = 'EWEBHOOKADDRESS';

  constructor(
    readonly hostname: string,
    readonly address: string,
  ) {
    super(`${hostname} resolves to ${address}, which is not a public address`);
  }
}

/**
 * A `dns.lookup` for the `lookup` option of `http.request`: resolves every address of the host and refuses
 * the connection if any of them is forbidden (one bad address is enough to mark the name as hostile, and
 * Node may try each address it is given). Answers in the shape asked for, since Node asks for `all: true`
 * when it tries addresses in turn (autoSelectFamily) and for a single one otherwise.
 *
 * @example
 * http.request({ hostname: 'shop.example', lookup: safeLookup({ allowLoopback: false }), ... });
 */
export function safeLookup(policy: DestinationPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const refused = addresses.find((candidate) => !isAllowedAddress(candidate.address, policy));
      if (refused) return callback(new ForbiddenAddressError(hostname, refused.address), []);
      const first = addresses[0];
      if (options.all || first === undefined) return callback(null, addresses);
      callback(null, first.address, first.family);
    });
  };
}
