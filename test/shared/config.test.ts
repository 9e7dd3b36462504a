import {
  ConfigError,
  cursorSecretName,
  dunningRetryDays,
  gatewayConfig,
  gatewaySettleSeconds,
  idempotencyLockMs,
  storefrontRateLimit,
} from '../../shared/config';

describe('Function: dunningRetryDays', () => {
  const original = process.env.DUNNING_RETRY_DAYS;
  afterEach(() => {
    if (original === undefined) delete process.env.DUNNING_RETRY_DAYS;
    else process.env.DUNNING_RETRY_DAYS = original;
  });

  it('defaults to retries on day 1, 3 and 5', () => {
    delete process.env.DUNNING_RETRY_DAYS;

    expect(dunningRetryDays()).toEqual([1, 3, 5]);
  });

  it('reads a configured schedule', () => {
    process.env.DUNNING_RETRY_DAYS = '2, 7,14';

    expect(dunningRetryDays()).toEqual([2, 7, 14]);
  });

  it.each(['3,1', '1,1', '0,2', '1,x', '1.5', '-1'])('refuses %p, naming the variable', (value) => {
    process.env.DUNNING_RETRY_DAYS = value;

    expect(() => dunningRetryDays()).toThrow(ConfigError);
    expect(() => dunningRetryDays()).toThrow('DUNNING_RETRY_DAYS');
  });
});

describe('Function: storefrontRateLimit', () => {
  const saved = { rate: process.env.STOREFRONT_RATE_PER_SECOND, burst: process.env.STOREFRONT_RATE_BURST };
  const set = (rate: string | undefined, burst: string | undefined) => {
    for (const [name, value] of [
      ['STOREFRONT_RATE_PER_SECOND', rate],
      ['STOREFRONT_RATE_BURST', burst],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  afterEach(() => set(saved.rate, saved.burst));

  it('is off when no rate is set (locally, unless set)', () => {
    set(undefined, undefined);

    expect(storefrontRateLimit()).toBeUndefined();
  });

  it('reads the rate and the burst, the burst defaulting to one second of the rate', () => {
    set('50', '100');
    expect(storefrontRateLimit()).toEqual({ requestsPerSecond: 50, burst: 100 });

    set('20', undefined);
    expect(storefrontRateLimit()).toEqual({ requestsPerSecond: 20, burst: 20 });
  });

  it.each([
    ['0', '10'],
    ['1.5', '10'],
    ['ten', undefined],
    ['10', '-1'],
    [undefined, '10'],
  ])('refuses rate %p with burst %p, naming the variable', (rate, burst) => {
    set(rate, burst);

    expect(() => storefrontRateLimit()).toThrow(ConfigError);
    expect(() => storefrontRateLimit()).toThrow(/STOREFRONT_RATE_(PER_SECOND|BURST)/);
  });
});

describe('Function: cursorSecretName', () => {
  const original = process.env.CURSOR_SECRET_NAME;
  afterEach(() => {
    if (original === undefined) delete process.env.CURSOR_SECRET_NAME;
    else process.env.CURSOR_SECRET_NAME = original;
  });

  it('reads the name of the secret that signs list cursors', () => {
    process.env.CURSOR_SECRET_NAME = '/payments/test/cursor-secret';

    expect(cursorSecretName()).toBe('/payments/test/cursor-secret');
  });

  it.each([undefined, ''])('fails fast, naming the variable, when it is %p', (value) => {
    if (value === undefined) delete process.env.CURSOR_SECRET_NAME;
    else process.env.CURSOR_SECRET_NAME = value;

    expect(() => cursorSecretName()).toThrow(
      new ConfigError('environment variable CURSOR_SECRET_NAME is not set'),
    );
  });
});

describe('The time budget variables', () => {
  const names = [
    'CLEARENT_BASE_URL',
    'CLEARENT_SECRET_PREFIX',
    'CLEARENT_TIMEOUT_MS',
    'CLEARENT_LOOKUP_ATTEMPTS',
    'IDEMPOTENCY_LOCK_MS',
    'GATEWAY_SETTLE_SECONDS',
  ] as const;
  const original = Object.fromEntries(names.map((name) => [name, process.env[name]]));

  beforeEach(() => {
    for (const name of names) delete process.env[name];
    process.env.CLEARENT_BASE_URL = 'https://gateway-sb.clearent.net';
    process.env.CLEARENT_SECRET_PREFIX = '/payments/test/storefronts/';
  });
  afterEach(() => {
    for (const name of names) {
      const value = original[name];
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it("defaults to the budget's numbers: 5 s calls, 2 lookups, a 29 s lock, a 120 s window", () => {
    expect(gatewayConfig()).toMatchObject({ timeoutMs: 5_000, lookupAttempts: 2 });
    expect(idempotencyLockMs()).toBe(29_000);
    expect(gatewaySettleSeconds()).toBe(120);
  });

  it('reads the deployed values', () => {
    // Prepare
    process.env.CLEARENT_TIMEOUT_MS = '4000';
    process.env.CLEARENT_LOOKUP_ATTEMPTS = '3';
    process.env.IDEMPOTENCY_LOCK_MS = '125000';
    process.env.GATEWAY_SETTLE_SECONDS = '300';

    // Act & Assess
    expect(gatewayConfig()).toMatchObject({ timeoutMs: 4_000, lookupAttempts: 3 });
    expect(idempotencyLockMs()).toBe(125_000);
    expect(gatewaySettleSeconds()).toBe(300);
  });

  it.each([
    ['CLEARENT_TIMEOUT_MS', '0', gatewayConfig],
    ['CLEARENT_TIMEOUT_MS', '30000', gatewayConfig],
    ['CLEARENT_TIMEOUT_MS', '5s', gatewayConfig],
    ['CLEARENT_LOOKUP_ATTEMPTS', '0', gatewayConfig],
    ['CLEARENT_LOOKUP_ATTEMPTS', '6', gatewayConfig],
    ['IDEMPOTENCY_LOCK_MS', '-1', idempotencyLockMs],
    // A lock that ends during a 5 s call lets a second attempt in beside a live one.
    ['IDEMPOTENCY_LOCK_MS', '5000', idempotencyLockMs],
    ['GATEWAY_SETTLE_SECONDS', '2.5', gatewaySettleSeconds],
    ['GATEWAY_SETTLE_SECONDS', '5', gatewaySettleSeconds],
  ])('refuses %s=%p, naming it', (name, value, read) => {
    // Prepare
    process.env[name] = value;

    // Act & Assess
    expect(() => read()).toThrow(ConfigError);
    expect(() => read()).toThrow(name);
  });
});
