import type { LookupAddress } from 'node:dns';
import {
  checkEndpointUrl,
  type DestinationPolicy,
  ForbiddenAddressError,
  isForbiddenAddress,
  MAX_ENDPOINT_URL_LENGTH,
  safeLookup,
} from '../../../shared/webhooks/destination';
import { resolveNames } from './fake-dns';

const deployed: DestinationPolicy = { allowLoopback: false };
const local: DestinationPolicy = { allowLoopback: true };

/** Appended to every URL below: a receiver's own token, which no reason may repeat. */
const SECRET_PART = '/hooks/path-token-1?key=query-token-2';

describe('Function: isForbiddenAddress', () => {
  it.each([
    '0.0.0.0',
    '0.1.2.3',
    '10.0.0.1',
    '100.64.0.1',
    '100.127.255.254',
    '127.0.0.1',
    '127.255.255.254',
    '169.254.169.254',
    '172.16.0.1',
    '172.31.255.255',
    '192.0.0.8',
    '192.0.2.1',
    '192.88.99.1',
    '192.168.1.1',
    '198.18.0.1',
    '198.19.255.255',
    '198.51.100.7',
    '203.0.113.7',
    '224.0.0.1',
    '239.255.255.250',
    '240.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    '::127.0.0.1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::ffff:8.8.8.8',
    '64:ff9b::10.0.0.1',
    '64:ff9b::a9fe:a9fe',
    '64:ff9b:1::1',
    '100::1',
    '2001::1',
    '2001:db8::1',
    '2002:7f00:1::1',
    '3fff::1',
    'fc00::1',
    'fd12:3456:789a::1',
    'fe80::1',
    'fe80::1%eth0',
    'fec0::1',
    'ff02::1',
    'localhost',
    '',
    '1.2.3',
  ])('forbids %p', (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each([
    '1.1.1.1',
    '8.8.8.8',
    '93.184.215.14',
    '100.63.255.255',
    '100.128.0.0',
    '172.15.255.255',
    '172.32.0.0',
    '192.169.0.1',
    '223.255.255.255',
    '2606:4700:4700::1111',
    '2a00:1450:4001:82b::200e',
    '64:ff9b::8.8.8.8',
  ])('allows %p', (address) => {
    expect(isForbiddenAddress(address)).toBe(false);
  });
});

describe('Function: checkEndpointUrl', () => {
  describe('deployed', () => {
    it.each([
      'https://shop.example',
      'https://shop.example:8443',
      'https://SHOP.Example.',
      'https://xn--caf-dma.example',
      'https://café.example',
      'https://localhost.shop.example',
      'https://93.184.215.14',
      'https://[2606:4700:4700::1111]',
      'https://[64:ff9b::808:808]',
    ])('allows %s', (origin) => {
      // Act
      const check = checkEndpointUrl(origin + SECRET_PART, deployed);

      // Assess
      expect(check).toStrictEqual({ ok: true, url: new URL(origin + SECRET_PART) });
    });

    it.each([
      ['http://shop.example', 'not an https URL'],
      ['ftp://shop.example', 'not an https URL'],
      ['file://', 'not an https URL'],
      ['javascript:alert(1)//', 'not an https URL'],
      ['shop.example', 'not a valid absolute URL'],
      ['https://exa mple.com', 'not a valid absolute URL'],
      ['https://[::1', 'not a valid absolute URL'],
      ['https://intranet', 'host intranet is not a public name'],
      ['https://metadata.', 'host metadata. is not a public name'],
      ['https://user:password@shop.example', 'a URL must not contain credentials'],
      ['https://user@shop.example', 'a URL must not contain credentials'],
      ['https://:password@shop.example', 'a URL must not contain credentials'],
      ['https://localhost', 'host localhost is this machine'],
      ['https://LOCALHOST.', 'host localhost. is this machine'],
      ['https://hooks.localhost', 'host hooks.localhost is this machine'],
      ['https://127.0.0.1', 'host 127.0.0.1 is not a public address'],
      ['https://127.1', 'host 127.0.0.1 is not a public address'],
      ['https://2130706433', 'host 127.0.0.1 is not a public address'],
      ['https://0x7f.0.0.1', 'host 127.0.0.1 is not a public address'],
      ['https://%31%32%37.0.0.1', 'host 127.0.0.1 is not a public address'],
      ['https://0.0.0.0', 'host 0.0.0.0 is not a public address'],
      ['https://10.1.2.3', 'host 10.1.2.3 is not a public address'],
      ['https://172.16.5.4', 'host 172.16.5.4 is not a public address'],
      ['https://192.168.1.10', 'host 192.168.1.10 is not a public address'],
      ['https://100.64.0.1', 'host 100.64.0.1 is not a public address'],
      ['https://169.254.169.254', 'host 169.254.169.254 is not a public address'],
      ['https://224.0.0.1', 'host 224.0.0.1 is not a public address'],
      ['https://255.255.255.255', 'host 255.255.255.255 is not a public address'],
      ['https://[::1]', 'host [::1] is not a public address'],
      ['https://[::]', 'host [::] is not a public address'],
      ['https://[::ffff:127.0.0.1]', 'host [::ffff:7f00:1] is not a public address'],
      ['https://[::ffff:169.254.169.254]', 'host [::ffff:a9fe:a9fe] is not a public address'],
      ['https://[64:ff9b::169.254.169.254]', 'host [64:ff9b::a9fe:a9fe] is not a public address'],
      ['https://[fe80::1]', 'host [fe80::1] is not a public address'],
      ['https://[fd00:ec2::254]', 'host [fd00:ec2::254] is not a public address'],
      ['https://[ff02::1]', 'host [ff02::1] is not a public address'],
      ['https://[2001:db8::1]', 'host [2001:db8::1] is not a public address'],
    ])('refuses %s: %s', (origin, reason) => {
      // Act
      const check = checkEndpointUrl(origin + SECRET_PART, deployed);

      // Assess
      expect(check).toStrictEqual({ ok: false, reason });
    });

    it(`allows ${MAX_ENDPOINT_URL_LENGTH} characters and refuses more`, () => {
      // Prepare
      const longest = `https://shop.example/${'a'.repeat(MAX_ENDPOINT_URL_LENGTH - 'https://shop.example/'.length)}`;

      // Act
      const checks = [checkEndpointUrl(longest, deployed), checkEndpointUrl(`${longest}a`, deployed)];

      // Assess
      expect(checks.map((check) => check.ok)).toStrictEqual([true, false]);
      expect(checks[1]).toStrictEqual({ ok: false, reason: 'longer than 2048 characters' });
    });

    it('counts the length once normalised, since that is what would be sent', () => {
      // Prepare: each é becomes %C3%A9 in the path.
      const url = `https://shop.example/${'é'.repeat(1000)}`;

      // Act
      const check = checkEndpointUrl(url, deployed);

      // Assess
      expect(check).toStrictEqual({ ok: false, reason: 'longer than 2048 characters' });
    });
  });

  describe('locally', () => {
    it.each([
      'http://127.0.0.1:4000',
      'https://127.0.0.1:4000',
      'http://[::1]:4000',
      'http://localhost:4000',
      'http://LocalHost',
      'https://localhost',
      'https://shop.example',
    ])('allows %s', (origin) => {
      // Act
      const check = checkEndpointUrl(origin + SECRET_PART, local);

      // Assess
      expect(check.ok).toBe(true);
    });

    it.each([
      ['http://shop.example', 'http is only allowed to this machine'],
      ['http://127.0.0.2', 'http is only allowed to this machine'],
      ['http://10.0.0.1', 'http is only allowed to this machine'],
      ['http://hooks.localhost', 'http is only allowed to this machine'],
      ['https://hooks.localhost', 'host hooks.localhost is this machine'],
      ['https://192.168.1.10', 'host 192.168.1.10 is not a public address'],
      ['https://169.254.169.254', 'host 169.254.169.254 is not a public address'],
      ['https://[::ffff:127.0.0.1]', 'host [::ffff:7f00:1] is not a public address'],
      ['http://user:password@localhost:4000', 'a URL must not contain credentials'],
    ])('refuses %s: %s', (origin, reason) => {
      // Act
      const check = checkEndpointUrl(origin + SECRET_PART, local);

      // Assess
      expect(check).toStrictEqual({ ok: false, reason });
    });
  });
});

describe('Function: safeLookup', () => {
  afterEach(() => jest.restoreAllMocks());

  /** Runs the lookup as `http.request` would, answering an error or what it resolved. */
  function lookUp(policy: DestinationPolicy, hostname: string, all: boolean) {
    return new Promise<{ error: Error | null; address: string | LookupAddress[]; family?: number }>(
      (resolve) =>
        safeLookup(policy)(hostname, { all }, (error, address, family) =>
          resolve({ error, address, family }),
        ),
    );
  }

  it.each([true, false])('refuses localhost when deployed (all: %p)', async (all) => {
    // Act
    const { error } = await lookUp(deployed, 'localhost', all);

    // Assess
    expect(error).toBeInstanceOf(ForbiddenAddressError);
    expect(error?.message).toMatch(
      /^localhost resolves to (127\.0\.0\.1|::1), which is not a public address$/,
    );
  });

  it('answers every address of localhost locally when asked for all', async () => {
    // Act
    const { error, address } = await lookUp(local, 'localhost', true);

    // Assess
    expect(error).toBeNull();
    expect(address).toContainEqual({ address: '127.0.0.1', family: 4 });
  });

  it('answers one address and its family when not asked for all', async () => {
    // Prepare
    resolveNames({ 'hooks.shop.example': ['93.184.215.14', '2606:4700:4700::1111'] });

    // Act
    const answer = await lookUp(deployed, 'hooks.shop.example', false);

    // Assess
    expect(answer).toStrictEqual({ error: null, address: '93.184.215.14', family: 4 });
  });

  it('refuses a name when any of its addresses is forbidden, naming that address', async () => {
    // Prepare: a rebinding attack answers a public address and a private one, hoping the second is tried.
    resolveNames({ 'hooks.shop.example': ['93.184.215.14', '10.0.0.7'] });

    // Act
    const { error } = await lookUp(deployed, 'hooks.shop.example', true);

    // Assess
    expect(error).toStrictEqual(new ForbiddenAddressError('hooks.shop.example', '10.0.0.7'));
    expect(error?.message).toBe('hooks.shop.example resolves to 10.0.0.7, which is not a public address');
  });

  it('allows loopback locally but nothing else that is private', async () => {
    // Prepare
    resolveNames({ 'dev.shop.example': ['127.0.0.1'], 'lan.shop.example': ['192.168.1.10'] });

    // Act
    const loopback = await lookUp(local, 'dev.shop.example', true);
    const lan = await lookUp(local, 'lan.shop.example', true);

    // Assess
    expect(loopback.error).toBeNull();
    expect(lan.error).toStrictEqual(new ForbiddenAddressError('lan.shop.example', '192.168.1.10'));
  });

  it('passes resolution errors through', async () => {
    // Prepare
    resolveNames({ 'gone.shop.example': [] });

    // Act
    const { error } = await lookUp(deployed, 'gone.shop.example', true);

    // Assess
    expect(error).not.toBeInstanceOf(ForbiddenAddressError);
    expect((error as NodeJS.ErrnoException | null)?.code).toBe('ENOTFOUND');
  });
});
