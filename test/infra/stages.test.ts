import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { isStageName, stageNames, stageSettings } from '../../infra/stages';

describe('Function: stageSettings', () => {
  it('refuses an unknown stage, naming the valid ones', () => {
    // Act & Assess
    expect(() => stageSettings('qa', {})).toThrow('unknown stage "qa": use -c stage=dev|staging|prod');
  });

  it('charges through the Clearent sandbox everywhere but prod', () => {
    // Act
    const urls = stageNames.map((name) => [name, stageSettings(name, {}).clearentBaseUrl]);

    // Assess
    expect(urls).toEqual([
      ['dev', 'https://gateway-sb.clearent.net'],
      ['staging', 'https://gateway-sb.clearent.net'],
      ['prod', 'https://gateway.clearent.net'],
    ]);
  });

  it('retains data only in prod, where logs are kept a year', () => {
    // Act
    const [dev, staging, prod] = stageNames.map((name) => stageSettings(name, {}));

    // Assess
    expect([dev?.retainData, staging?.retainData, prod?.retainData]).toEqual([false, false, true]);
    expect(prod?.logRetention).toBe(RetentionDays.ONE_YEAR);
  });

  it('runs recurring charges every 15 minutes with a worker concurrency SQS accepts (2 or more)', () => {
    for (const name of stageNames) {
      // Act
      const stage = stageSettings(name, {});

      // Assess
      expect(stage.recurringSchedule).toBe('rate(15 minutes)');
      expect(stage.workerMaxConcurrency).toBeGreaterThanOrEqual(2);
      expect(stage.reservedConcurrency.recurringWorker).toBeGreaterThanOrEqual(stage.workerMaxConcurrency);
    }
  });

  it('reconciles every 5 minutes, one run at a time', () => {
    for (const name of stageNames) {
      // Act
      const stage = stageSettings(name, {});

      // Assess
      expect(stage.reconciliationSchedule).toBe('rate(5 minutes)');
      expect(stage.reservedConcurrency.reconciliation).toBe(1);
    }
  });

  it('sweeps webhooks every minute, one at a time, and delivers within a concurrency SQS accepts', () => {
    for (const name of stageNames) {
      // Act
      const stage = stageSettings(name, {});

      // Assess
      expect(stage.webhookSweepSchedule).toBe('rate(1 minute)');
      expect(stage.reservedConcurrency.webhookSweep).toBe(1);
      expect(stage.webhookMaxConcurrency).toBeGreaterThanOrEqual(2);
      expect(stage.reservedConcurrency.webhookDelivery).toBeGreaterThanOrEqual(stage.webhookMaxConcurrency);
      expect(stage.reservedConcurrency.eventsRelay).toBeGreaterThanOrEqual(1);
    }
  });

  it("retries webhooks on the contract's schedule everywhere", () => {
    for (const name of stageNames) {
      expect(stageSettings(name, {}).webhookRetrySchedule).toBe('5s,5m,30m,2h,5h,10h,14h,20h,24h');
    }
  });

  it('synthesizes without an account, in us-east-1, with no alarm e-mail by default', () => {
    // Act
    const stage = stageSettings('dev', {});

    // Assess
    expect(stage.env).toEqual({ account: undefined, region: 'us-east-1' });
    expect(stage.alarmEmail).toBeUndefined();
  });

  it('takes account, region and alarm e-mail from the environment, the PAYMENTS_ ones first', () => {
    // Prepare
    const environment = {
      CDK_DEFAULT_ACCOUNT: '111111111111',
      CDK_DEFAULT_REGION: 'eu-west-1',
      PAYMENTS_ACCOUNT: '222222222222',
      PAYMENTS_ALARM_EMAIL: 'oncall@example.com',
    };

    // Act
    const stage = stageSettings('prod', environment);

    // Assess
    expect(stage.env).toEqual({ account: '222222222222', region: 'eu-west-1' });
    expect(stage.alarmEmail).toBe('oncall@example.com');
  });
});

describe('Function: isStageName', () => {
  it('accepts exactly dev, staging and prod', () => {
    expect(['dev', 'staging', 'prod', 'Prod', ''].map(isStageName)).toEqual([true, true, true, false, false]);
  });
});
