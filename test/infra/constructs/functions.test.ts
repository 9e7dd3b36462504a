import { apiRoutes, type FunctionName, functionNames } from '../../../infra/routes';
import { gatewayConfig } from '../../../shared/config';
import { LOCK_MS } from '../../../shared/payments/idempotent-operation';
import { logicalIdOf, type Synthesized, synthesize } from '../synth';

describe('Class: PaymentsFunctions', () => {
  let prod: Synthesized;
  let dev: Synthesized;

  beforeAll(() => {
    prod = synthesize('prod');
    dev = synthesize('dev');
  });

  const propertiesOf = (synthesized: Synthesized, name: FunctionName): Record<string, unknown> => {
    const id = logicalIdOf(synthesized.stack, synthesized.stack.functions.get(name));
    return synthesized.template.toJSON().Resources[id].Properties;
  };

  it('deploys one function per name on Node.js 22, ARM, traced, with the stage memory', () => {
    // Act & Assess
    prod.template.resourceCountIs('AWS::Lambda::Function', functionNames.length);
    for (const name of functionNames) {
      expect(propertiesOf(prod, name)).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        MemorySize: 1024,
      });
      expect(propertiesOf(dev, name).MemorySize).toBe(512);
    }
  });

  it('stops functions that call Clearent at 25 s (three 7 s calls), under API Gateway 29 s', () => {
    // Prepare
    const gatewayCallers: FunctionName[] = ['jwt-sale', 'token-sale', 'refund', 'cards'];
    const readers: FunctionName[] = ['transactions', 'subscriptions'];

    // Act
    const timeouts = gatewayCallers.map((name) => propertiesOf(prod, name).Timeout);

    // Assess
    expect(timeouts).toEqual(gatewayCallers.map(() => 25));
    // Two lookups and one sale fit in the timeout, and the idempotency lock outlives any attempt.
    process.env.CLEARENT_BASE_URL ??= 'https://gateway-sb.clearent.net';
    process.env.CLEARENT_SECRET_PREFIX ??= '/payments/test/storefronts/';
    expect(3 * gatewayConfig().timeoutMs).toBeLessThan(25_000);
    expect(25_000).toBeLessThan(LOCK_MS);
    expect(readers.map((name) => propertiesOf(prod, name).Timeout)).toEqual([15, 15]);
    expect(propertiesOf(prod, 'authorizer').Timeout).toBeLessThanOrEqual(15);
    expect(propertiesOf(prod, 'recurring-worker').Timeout).toBe(120);
  });

  it('reserves concurrency from the stage settings, one selector at a time', () => {
    expect(propertiesOf(prod, 'jwt-sale').ReservedConcurrentExecutions).toBe(50);
    expect(propertiesOf(prod, 'authorizer').ReservedConcurrentExecutions).toBe(100);
    expect(propertiesOf(prod, 'recurring-selector').ReservedConcurrentExecutions).toBe(1);
    expect(propertiesOf(prod, 'recurring-worker').ReservedConcurrentExecutions).toBe(10);
  });

  it('gives every function the same configuration environment', () => {
    // Prepare
    const tableRef = { Ref: logicalIdOf(prod.stack, prod.stack.data.table) };

    for (const name of functionNames) {
      // Act
      const environment = (propertiesOf(prod, name).Environment as { Variables: Record<string, unknown> })
        .Variables;

      // Assess
      expect(environment).toMatchObject({
        TABLE_NAME: tableRef,
        CLEARENT_BASE_URL: 'https://gateway.clearent.net',
        CLEARENT_TIMEOUT_MS: '10000',
        CLEARENT_SECRET_PREFIX: '/payments/prod/storefronts/',
        CLEARENT_SOFTWARE_TYPE: 'clearent-payments',
        MAX_AMOUNT: '99999.99',
        IDEMPOTENCY_TTL_HOURS: '24',
        POWERTOOLS_SERVICE_NAME: 'payments-prod',
        POWERTOOLS_METRICS_NAMESPACE: 'ClearentPayments',
        NODE_OPTIONS: '--enable-source-maps',
      });
      expect('RECURRING_QUEUE_URL' in environment).toBe(name === 'recurring-selector');
    }
  });

  it('points dev at the Clearent sandbox and its own secret path', () => {
    expect((propertiesOf(dev, 'jwt-sale').Environment as { Variables: unknown }).Variables).toMatchObject({
      CLEARENT_BASE_URL: 'https://gateway-sb.clearent.net',
      CLEARENT_SECRET_PREFIX: '/payments/dev/storefronts/',
      POWERTOOLS_SERVICE_NAME: 'payments-dev',
    });
  });

  it('logs each function to its own encrypted log group with the stage retention', () => {
    for (const [name, fn] of prod.stack.functions.all()) {
      // Prepare
      const logGroupId = logicalIdOf(prod.stack, fn.logGroup);

      // Act
      const logGroup = prod.template.toJSON().Resources[logGroupId];

      // Assess
      expect(propertiesOf(prod, name).LoggingConfig).toEqual({ LogGroup: { Ref: logGroupId } });
      expect(logGroup).toMatchObject({
        DeletionPolicy: 'Retain',
        Properties: {
          RetentionInDays: 365,
          KmsKeyId: { 'Fn::GetAtt': [logicalIdOf(prod.stack, prod.stack.keys.logs), 'Arn'] },
        },
      });
    }
    dev.template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  it('creates each function after the policy holding its permissions', () => {
    for (const name of functionNames) {
      // Prepare
      const policyId = logicalIdOf(prod.stack, prod.stack.functions.policyOf(name));
      const id = logicalIdOf(prod.stack, prod.stack.functions.get(name));

      // Act & Assess
      expect(prod.template.toJSON().Resources[id].DependsOn).toEqual(expect.arrayContaining([policyId]));
    }
  });

  it('lets API Gateway invoke only the functions behind routes and the authorizer', () => {
    // Prepare
    const expected = new Set<FunctionName>([...apiRoutes.map((route) => route.functionName), 'authorizer']);
    const apiRef = { Ref: logicalIdOf(prod.stack, prod.stack.api.httpApi) };

    // Act
    const permissions = Object.values(prod.template.findResources('AWS::Lambda::Permission')).map(
      (permission) => permission.Properties,
    );
    const invoked = new Set(permissions.map((permission) => permission.FunctionName['Fn::GetAtt'][0]));

    // Assess
    expect(invoked).toEqual(
      new Set([...expected].map((name) => logicalIdOf(prod.stack, prod.stack.functions.get(name)))),
    );
    for (const permission of permissions) {
      expect(permission.Principal).toBe('apigateway.amazonaws.com');
      expect(permission.SourceArn['Fn::Join'][1]).toContainEqual(apiRef);
    }
  });
});
