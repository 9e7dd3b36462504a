import { LocalSettingsError, localSettingsFrom, parseStorefrontKeys } from '../../../infra/local/settings';

describe('Function: localSettingsFrom', () => {
  it('uses the defaults of the contract when nothing is set', () => {
    // Act
    const settings = localSettingsFrom({});

    // Assess
    expect(settings).toEqual({
      port: 3000,
      sandboxPort: 3001,
      sandboxApiKey: undefined,
      clearentBaseUrl: undefined,
      clearentApiKey: undefined,
      clearentPublicKey: undefined,
      storefronts: [{ storefrontId: 'demo', apiKey: 'sk_test_demo' }],
      dataDir: '.data',
      dynamoDb: 'auto',
    });
  });

  it('reads every variable of the contract', () => {
    // Act
    const settings = localSettingsFrom({
      PORT: '8080',
      SANDBOX_PORT: '0',
      SANDBOX_API_KEY: 'test_sandbox_key_not_secret',
      CLEARENT_BASE_URL: 'https://gateway-sb.clearent.net/',
      CLEARENT_API_KEY: 'test_clearent_key_not_secret',
      CLEARENT_PUBLIC_KEY: 'test_clearent_public_key',
      STOREFRONT_KEYS: 'alpha=sk_test_alpha_key, beta=sk_test_beta_key',
      DATA_DIR: '/tmp/payments-data',
      LOCAL_DYNAMODB: 'dynalite',
    });

    // Assess
    expect(settings).toEqual({
      port: 8080,
      sandboxPort: 0,
      sandboxApiKey: 'test_sandbox_key_not_secret',
      clearentBaseUrl: 'https://gateway-sb.clearent.net',
      clearentApiKey: 'test_clearent_key_not_secret',
      clearentPublicKey: 'test_clearent_public_key',
      storefronts: [
        { storefrontId: 'alpha', apiKey: 'sk_test_alpha_key' },
        { storefrontId: 'beta', apiKey: 'sk_test_beta_key' },
      ],
      dataDir: '/tmp/payments-data',
      dynamoDb: 'dynalite',
    });
  });

  it.each([
    ['PORT', { PORT: 'http' }],
    ['SANDBOX_PORT', { SANDBOX_PORT: '70000' }],
    ['CLEARENT_BASE_URL', { CLEARENT_BASE_URL: 'gateway-sb.clearent.net' }],
    ['LOCAL_DYNAMODB', { LOCAL_DYNAMODB: 'dynamo' }],
  ])('refuses a malformed %s, naming it', (name, environment) => {
    // Act
    const reading = () => localSettingsFrom(environment);

    // Assess
    expect(reading).toThrow(LocalSettingsError);
    expect(reading).toThrow(name);
  });
});

describe('Function: parseStorefrontKeys', () => {
  it.each([['demo'], ['=sk_test_demo'], ['de mo=sk_test_demo']])('refuses the pair %p', (text) => {
    expect(() => parseStorefrontKeys(text)).toThrow(LocalSettingsError);
  });

  it('never repeats a refused key in its message', () => {
    // Prepare
    const shortKey = 'sk_x';

    // Act
    const parsing = () => parseStorefrontKeys(`demo=${shortKey}`);

    // Assess
    expect(parsing).toThrow(LocalSettingsError);
    expect(parsing).not.toThrow(shortKey);
  });
});
