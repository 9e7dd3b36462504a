/**
 * Metrics as CloudWatch embedded metric format (EMF): one JSON line on stdout per flush, which CloudWatch
 * Logs turns into metrics. It writes what Powertools Metrics wrote for us (the same namespace, the same
 * `service` dimension, the same environment switches), in a page of code instead of 12 KB of bundle
 * built at every cold start (issue 11): we record a few counts and one latency, and flush them at the end
 * of each invocation.
 *
 * Limits kept from the format: at most 100 metric names and 100 values of one metric in a document; a
 * document that would hold more is flushed first. A value that is not a finite number is dropped: a
 * metric never fails the request that records it.
 */

export const MetricUnit = { Count: 'Count', Milliseconds: 'Milliseconds' } as const;
export type MetricUnit = (typeof MetricUnit)[keyof typeof MetricUnit];

export interface EmfOptions {
  namespace: string;
  serviceName: string;
  /** Nothing is written; metrics are still counted, so that flushing clears them. */
  disabled: boolean;
  /** Receives one document, a line of JSON without its newline. */
  write: (line: string) => void;
  now?: () => number;
}

/** The most metric names, and values of one name, in one document (CloudWatch's EMF limits). */
export const EMF_MAX_METRICS = 100;
export const EMF_MAX_VALUES = 100;

export class EmfMetrics {
  readonly #options: EmfOptions;
  #stored = new Map<string, { unit: MetricUnit; values: number[] }>();

  constructor(options: EmfOptions) {
    this.#options = options;
  }

  addMetric(name: string, unit: MetricUnit, value: number): void {
    if (!Number.isFinite(value)) return;
    let metric = this.#stored.get(name);
    if (metric === undefined && this.#stored.size >= EMF_MAX_METRICS) this.publishStoredMetrics();
    metric = this.#stored.get(name);
    if (metric === undefined) {
      metric = { unit, values: [] };
      this.#stored.set(name, metric);
    }
    metric.values.push(value);
    if (metric.values.length >= EMF_MAX_VALUES) this.publishStoredMetrics();
  }

  /** Writes the stored metrics as one document (unless disabled or empty) and clears them. */
  publishStoredMetrics(): void {
    const stored = this.#stored;
    this.#stored = new Map();
    if (stored.size === 0 || this.#options.disabled) return;
    const { namespace, serviceName, now = Date.now } = this.#options;
    const document: Record<string, unknown> = {
      _aws: {
        Timestamp: now(),
        CloudWatchMetrics: [
          {
            Namespace: namespace,
            Dimensions: [['service']],
            Metrics: [...stored].map(([name, { unit }]) => ({ Name: name, Unit: unit })),
          },
        ],
      },
      service: serviceName,
    };
    for (const [name, { values }] of stored) document[name] = values.length === 1 ? values[0] : values;
    this.#options.write(JSON.stringify(document));
  }
}

/**
 * Powertools' switches, kept: `POWERTOOLS_METRICS_DISABLED` when set, otherwise `POWERTOOLS_DEV`
 * (Powertools reads the same words as true).
 */
export function metricsDisabled(env: NodeJS.ProcessEnv): boolean {
  const truthy = (value: string) => ['1', 'y', 'yes', 't', 'true', 'on'].includes(value.trim().toLowerCase());
  const disabled = env.POWERTOOLS_METRICS_DISABLED;
  if (disabled !== undefined && disabled !== '') return truthy(disabled);
  return truthy(env.POWERTOOLS_DEV ?? '');
}
