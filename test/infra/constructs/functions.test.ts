import { functionPermissions } from '../../../infra/permissions';
import { apiRoutes, type FunctionName, functionNames } from '../../../infra/routes';
import {
  gatewayConfig,
  gatewaySettleSeconds,
  idempotencyLockMs,
  webhookRetrySchedule,
} from '../../../shared/config';
import * as budget from '../../../shared/time-budget';
import { defaultRetrySchedule, parseRetrySchedule } from '../../../shared/webhooks/retry-schedule';
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

  describe('the time budget, as deployed', () => {
    /** What the template gives a function: its timeout and the budget variables `shared/config.ts` reads. */
    interface Deployed {
      timeoutSeconds: number;
      gatewayTimeoutMs: number;
      lookupAttempts: number;
      lockMs: number;
      settleSeconds: number;
    }

    const deployed = (synthesized: Synthesized, name: FunctionName): Deployed => {
      const properties = propertiesOf(synthesized, name);
      const variables = (properties.Environment as { Variables: Record<string, unknown> }).Variables;
      const integer = (variable: string): number => {
        const value = Number(variables[variable]);
        if (!Number.isSafeInteger(value)) throw new Error(`${name}: ${variable} is not a whole number`);
        return value;
      };
      return {
        timeoutSeconds: properties.Timeout as number,
        gatewayTimeoutMs: integer('CLEARENT_TIMEOUT_MS'),
        lookupAttempts: integer('CLEARENT_LOOKUP_ATTEMPTS'),
        lockMs: integer('IDEMPOTENCY_LOCK_MS'),
        settleSeconds: integer('GATEWAY_SETTLE_SECONDS'),
      };
    };

    // Written out, not imported: a change to the budget's arithmetic must not move the yardstick with it.
    const maxCalls = (attempts: number): number => attempts + 2; // lookups, the sale, one resend after a 401
    const backoffMs = (attempts: number): number => (budget.lookupBackoffMs * attempts * (attempts - 1)) / 2;

    const gatewayCallers = functionNames.filter((name) => functionPermissions[name].gatewayCredentials);
    const behindApi = [...new Set(apiRoutes.map((route) => route.functionName)), 'authorizer' as const];
    const stages = () => [prod, dev];

    it('applies to every function that calls Clearent', () => {
      expect(gatewayCallers).toEqual([
        'jwt-sale',
        'token-sale',
        'refund',
        'cards',
        'recurring-worker',
        'reconciliation',
      ]);
    });

    it.each(gatewayCallers)(
      '%s: every gateway call of one request timing out, the lookup pauses and the AWS margin end before the function',
      (name) => {
        for (const synthesized of stages()) {
          // Act
          const { timeoutSeconds, gatewayTimeoutMs, lookupAttempts } = deployed(synthesized, name);

          // Assess
          const needed =
            maxCalls(lookupAttempts) * gatewayTimeoutMs + backoffMs(lookupAttempts) + budget.awsCallsMarginMs;
          expect(needed).toBeLessThan(timeoutSeconds * 1000);
        }
      },
    );

    it.each(behindApi)('%s: answers before API Gateway gives up at 29 s', (name) => {
      for (const synthesized of stages()) {
        expect(deployed(synthesized, name).timeoutSeconds).toBeLessThan(29);
      }
    });

    it.each(gatewayCallers)(
      '%s: holds an idempotency key until it is surely dead, and not a margin longer',
      (name) => {
        for (const synthesized of stages()) {
          // Act
          const { timeoutSeconds, lockMs } = deployed(synthesized, name);

          // Assess
          expect(lockMs).toBeGreaterThan(timeoutSeconds * 1000);
          expect(lockMs - timeoutSeconds * 1000).toBeLessThanOrEqual(budget.lockMarginMs);
        }
      },
    );

    it.each(gatewayCallers)(
      '%s: waits the settle window, longer than a gateway call, before resending',
      (name) => {
        for (const synthesized of stages()) {
          // Act
          const { gatewayTimeoutMs, settleSeconds } = deployed(synthesized, name);

          // Assess
          expect(settleSeconds * 1000).toBeGreaterThan(gatewayTimeoutMs);
        }
      },
    );

    it('deploys the budget: 5 s calls, 2 lookups, 24 s API functions holding keys 29 s, a 120 s window', () => {
      expect(deployed(prod, 'jwt-sale')).toEqual({
        timeoutSeconds: 24,
        gatewayTimeoutMs: 5_000,
        lookupAttempts: 2,
        lockMs: 29_000,
        settleSeconds: 120,
      });
      expect(deployed(prod, 'recurring-worker')).toMatchObject({ timeoutSeconds: 120, lockMs: 125_000 });
      expect(deployed(prod, 'reconciliation')).toMatchObject({ timeoutSeconds: 180, lockMs: 185_000 });
    });

    it.each(functionNames)(
      "%s: starts with its deployed environment (shared/config.ts's checks pass)",
      (name) => {
        // Prepare
        const variables = (propertiesOf(prod, name).Environment as { Variables: Record<string, unknown> })
          .Variables;
        const saved = { ...process.env };
        for (const [variable, value] of Object.entries(variables)) {
          if (typeof value === 'string') process.env[variable] = value;
        }

        try {
          // Act & Assess
          expect(gatewayConfig()).toMatchObject({
            timeoutMs: budget.gatewayCallTimeoutMs,
            lookupAttempts: budget.lookupAttempts,
          });
          expect(idempotencyLockMs()).toBe(Number(variables.IDEMPOTENCY_LOCK_MS));
          expect(gatewaySettleSeconds()).toBe(budget.gatewaySettleSeconds);
          if (variables.WEBHOOK_RETRY_SCHEDULE !== undefined) {
            expect(webhookRetrySchedule()).toEqual(parseRetrySchedule(defaultRetrySchedule));
          }
        } finally {
          process.env = saved;
        }
      },
    );

    it('keeps the functions that never call Clearent short', () => {
      expect(propertiesOf(prod, 'transactions').Timeout).toBe(15);
      expect(propertiesOf(prod, 'subscriptions').Timeout).toBe(15);
      expect(propertiesOf(prod, 'authorizer').Timeout).toBe(5);
      expect(propertiesOf(prod, 'health').Timeout).toBe(3);
      expect(propertiesOf(prod, 'recurring-selector').Timeout).toBe(60);
      expect(propertiesOf(prod, 'events').Timeout).toBe(15);
      expect(propertiesOf(prod, 'webhook-endpoints').Timeout).toBe(15);
      expect(propertiesOf(prod, 'events-relay').Timeout).toBe(30);
      expect(propertiesOf(prod, 'webhook-sweep').Timeout).toBe(50);
      expect(propertiesOf(prod, 'webhook-delivery').Timeout).toBe(30);
    });
  });

  it('reserves concurrency from the stage settings, one selector, reconciliation and sweep at a time', () => {
    for (const synthesized of [prod, dev]) {
      expect(propertiesOf(synthesized, 'reconciliation').ReservedConcurrentExecutions).toBe(1);
    }
    expect(propertiesOf(prod, 'jwt-sale').ReservedConcurrentExecutions).toBe(50);
    expect(propertiesOf(prod, 'authorizer').ReservedConcurrentExecutions).toBe(100);
    expect(propertiesOf(prod, 'recurring-selector').ReservedConcurrentExecutions).toBe(1);
    expect(propertiesOf(prod, 'recurring-worker').ReservedConcurrentExecutions).toBe(10);
    expect(propertiesOf(prod, 'events').ReservedConcurrentExecutions).toBe(50);
    expect(propertiesOf(prod, 'events-relay').ReservedConcurrentExecutions).toBe(10);
    expect(propertiesOf(prod, 'webhook-sweep').ReservedConcurrentExecutions).toBe(1);
    expect(propertiesOf(prod, 'webhook-delivery').ReservedConcurrentExecutions).toBe(10);
    expect(propertiesOf(dev, 'webhook-sweep').ReservedConcurrentExecutions).toBe(1);
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
        CLEARENT_TIMEOUT_MS: String(budget.gatewayCallTimeoutMs),
        CLEARENT_LOOKUP_ATTEMPTS: String(budget.lookupAttempts),
        CLEARENT_SECRET_PREFIX: '/payments/prod/storefronts/',
        CLEARENT_SOFTWARE_TYPE: 'clearent-payments',
        MAX_AMOUNT: '99999.99',
        IDEMPOTENCY_TTL_HOURS: '24',
        IDEMPOTENCY_LOCK_MS: String(budget.idempotencyLockMsFor(propertiesOf(prod, name).Timeout as number)),
        GATEWAY_SETTLE_SECONDS: String(budget.gatewaySettleSeconds),
        POWERTOOLS_SERVICE_NAME: 'payments-prod',
        POWERTOOLS_METRICS_NAMESPACE: 'ClearentPayments',
      });
      // Stack traces are mapped on first use (shared/observability/stack-map.ts), not at every start.
      expect('NODE_OPTIONS' in environment).toBe(false);
      expect('RECURRING_QUEUE_URL' in environment).toBe(name === 'recurring-selector');
      expect('CURSOR_SECRET_NAME' in environment).toBe(
        ['transactions', 'subscriptions', 'events'].includes(name),
      );
      const runsWebhooks = ['events-relay', 'webhook-sweep', 'webhook-delivery'].includes(name);
      expect('WEBHOOK_QUEUE_URL' in environment).toBe(runsWebhooks);
      expect('WEBHOOK_RETRY_SCHEDULE' in environment).toBe(runsWebhooks);
    }
  });

  it('deploys no function allowed to send webhooks to this machine (WEBHOOK_ALLOW_LOOPBACK is local only)', () => {
    for (const synthesized of [prod, dev]) {
      for (const name of functionNames) {
        // Act
        const environment = (
          propertiesOf(synthesized, name).Environment as { Variables: Record<string, unknown> }
        ).Variables;

        // Assess
        expect(Object.keys(environment)).not.toContain('WEBHOOK_ALLOW_LOOPBACK');
      }
    }
    expect(JSON.stringify(prod.template.toJSON())).not.toContain('WEBHOOK_ALLOW_LOOPBACK');
  });

  it('tells the functions that list where the cursor-signing secret is', () => {
    // Prepare
    const secretRef = { Ref: logicalIdOf(prod.stack, prod.stack.cursorSecret.secret) };

    for (const name of ['transactions', 'subscriptions', 'events'] as const) {
      // Act
      const environment = (propertiesOf(prod, name).Environment as { Variables: Record<string, unknown> })
        .Variables;

      // Assess
      expect(environment.CURSOR_SECRET_NAME).toEqual(secretRef);
    }
  });

  it('tells every function behind an authorized route, and no other, the stage per-storefront rate limit', () => {
    // Prepare
    const authorizedFunctions = new Set(
      apiRoutes.filter((route) => route.authorized).map((route) => route.functionName),
    );

    for (const [synthesized, expected] of [
      [prod, { STOREFRONT_RATE_PER_SECOND: '50', STOREFRONT_RATE_BURST: '100' }],
      [dev, { STOREFRONT_RATE_PER_SECOND: '10', STOREFRONT_RATE_BURST: '20' }],
    ] as const) {
      for (const name of functionNames) {
        // Act
        const environment = (
          propertiesOf(synthesized, name).Environment as { Variables: Record<string, unknown> }
        ).Variables;

        // Assess
        const limited = authorizedFunctions.has(name);
        expect(functionPermissions[name].storefrontRateLimit === true).toBe(limited);
        if (limited) expect(environment).toMatchObject(expected);
        else expect(Object.keys(environment).filter((key) => key.startsWith('STOREFRONT_RATE'))).toEqual([]);
      }
    }
  });

  it('refuses a per-storefront rate limit above the stage throttle', () => {
    expect(() =>
      synthesize('dev', { overrides: { storefrontRateLimit: { requestsPerSecond: 21, burst: 20 } } }),
    ).toThrow('storefrontRateLimit must not exceed');
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
