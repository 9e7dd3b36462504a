import {
  EMF_MAX_METRICS,
  EMF_MAX_VALUES,
  EmfMetrics,
  MetricUnit,
  metricsDisabled,
} from '../../../shared/observability/emf';

function recorder(disabled = false) {
  const lines: string[] = [];
  const metrics = new EmfMetrics({
    namespace: 'ClearentPayments',
    serviceName: 'payments-prod',
    disabled,
    write: (line) => lines.push(line),
    now: () => 1_764_000_000_000,
  });
  const documents = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { metrics, lines, documents };
}

describe('EmfMetrics', () => {
  it('writes one EMF document per flush: namespace, the service dimension, each metric with its unit and values', () => {
    // Prepare
    const { metrics, documents } = recorder();

    // Act
    metrics.addMetric('GatewayLatency', MetricUnit.Milliseconds, 120);
    metrics.addMetric('Approvals', MetricUnit.Count, 1);
    metrics.addMetric('GatewayLatency', MetricUnit.Milliseconds, 85);
    metrics.publishStoredMetrics();

    // Assess
    expect(documents()).toEqual([
      {
        _aws: {
          Timestamp: 1_764_000_000_000,
          CloudWatchMetrics: [
            {
              Namespace: 'ClearentPayments',
              Dimensions: [['service']],
              Metrics: [
                { Name: 'GatewayLatency', Unit: 'Milliseconds' },
                { Name: 'Approvals', Unit: 'Count' },
              ],
            },
          ],
        },
        service: 'payments-prod',
        GatewayLatency: [120, 85],
        Approvals: 1,
      },
    ]);
  });

  it('clears what it flushed, and writes nothing for an invocation that recorded nothing', () => {
    // Prepare
    const { metrics, documents } = recorder();
    metrics.addMetric('Declines', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();

    // Act
    metrics.publishStoredMetrics();
    metrics.addMetric('Approvals', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();

    // Assess
    expect(documents().map(({ Declines, Approvals }) => ({ Declines, Approvals }))).toEqual([
      { Declines: 1, Approvals: undefined },
      { Declines: undefined, Approvals: 1 },
    ]);
  });

  it(`flushes before a metric would hold more than ${EMF_MAX_VALUES} values`, () => {
    // Prepare
    const { metrics, documents } = recorder();

    // Act
    for (let i = 1; i <= EMF_MAX_VALUES + 1; i += 1)
      metrics.addMetric('GatewayLatency', MetricUnit.Milliseconds, i);
    metrics.publishStoredMetrics();

    // Assess
    const values = documents().map((document) => document.GatewayLatency);
    expect(values).toHaveLength(2);
    expect(values[0]).toHaveLength(EMF_MAX_VALUES);
    expect(values[1]).toBe(EMF_MAX_VALUES + 1);
  });

  it(`flushes before a document would hold more than ${EMF_MAX_METRICS} metric names`, () => {
    // Prepare
    const { metrics, documents } = recorder();

    // Act
    for (let i = 0; i <= EMF_MAX_METRICS; i += 1) metrics.addMetric(`Metric${i}`, MetricUnit.Count, 1);
    metrics.publishStoredMetrics();

    // Assess
    const counts = documents().map(
      (document) =>
        (document._aws as { CloudWatchMetrics: { Metrics: unknown[] }[] }).CloudWatchMetrics[0]?.Metrics
          .length,
    );
    expect(counts).toEqual([EMF_MAX_METRICS, 1]);
  });

  it('drops a value that is not a finite number rather than failing the request', () => {
    // Prepare
    const { metrics, lines } = recorder();

    // Act
    metrics.addMetric('GatewayLatency', MetricUnit.Milliseconds, Number.NaN);
    metrics.addMetric('GatewayLatency', MetricUnit.Milliseconds, Number.POSITIVE_INFINITY);
    metrics.publishStoredMetrics();

    // Assess
    expect(lines).toEqual([]);
  });

  it('writes nothing when disabled, and still clears', () => {
    // Prepare
    const lines: string[] = [];
    const options = {
      namespace: 'N',
      serviceName: 's',
      disabled: true,
      write: (line: string) => lines.push(line),
    };
    const metrics = new EmfMetrics(options);
    metrics.addMetric('Approvals', MetricUnit.Count, 1);

    // Act
    metrics.publishStoredMetrics();
    options.disabled = false;
    metrics.publishStoredMetrics();

    // Assess: nothing then, and nothing kept to write later
    expect(lines).toEqual([]);
  });
});

describe('metricsDisabled', () => {
  it.each([
    [{}, false],
    [{ POWERTOOLS_METRICS_DISABLED: 'true' }, true],
    [{ POWERTOOLS_METRICS_DISABLED: 'false', POWERTOOLS_DEV: 'true' }, false],
    [{ POWERTOOLS_DEV: 'true' }, true],
    [{ POWERTOOLS_DEV: '1' }, true],
    [{ POWERTOOLS_DEV: 'false' }, false],
    [{ POWERTOOLS_METRICS_DISABLED: '', POWERTOOLS_DEV: 'yes' }, true],
  ])('%j: %s', (env, disabled) => {
    expect(metricsDisabled(env)).toBe(disabled);
  });
});
