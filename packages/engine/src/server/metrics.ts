import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * What the engine counts. The server layer calls `sessionOpened/Closed` and records the errors it sends itself
 * (auth, binary and oversize frames, limits); the session layer calls the rest.
 */
export interface EngineMetrics {
  /** A client event of this `type` arrived (use `'invalid'` for frames that are not an event). */
  eventIn(type: string): void;
  /** A server event of this `type` was sent. */
  eventOut(type: string): void;
  /** An `error` event with this `error.code` was sent (`'null'` when the code is null). */
  error(code: string): void;
  /** `response.create` → first delta, in seconds. */
  responseLatency(seconds: number): void;
  sessionOpened(): void;
  sessionClosed(): void;
}

/** Metrics that record nothing, for tests and embedders that don't scrape. */
export const noopMetrics: EngineMetrics = Object.freeze({
  eventIn() {},
  eventOut() {},
  error() {},
  responseLatency() {},
  sessionOpened() {},
  sessionClosed() {},
});

/** Prometheus-backed metrics with their own registry, rendered by `GET /metrics`. */
export interface PrometheusEngineMetrics extends EngineMetrics {
  readonly registry: Registry;
  /** Current number of open sessions. */
  readonly sessionsOpen: number;
  /** The exposition text and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
}

export interface PrometheusMetricsOptions {
  /** Metric name prefix (default `local_realtime_`). */
  prefix?: string;
  /** Also collect prom-client's process metrics (CPU, memory, event-loop lag). */
  processMetrics?: boolean;
}

/** Seconds; response latency is sub-millisecond unpaced and up to seconds with pacing. */
const LATENCY_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/**
 * Client-chosen strings (event types, codes) become label values, so they are bounded: anything that doesn't look
 * like an event type or code, and anything past the first {@link MAX_LABEL_VALUES} distinct values, counts as
 * `other`. Otherwise a hostile client could grow the registry without limit.
 */
const LABEL_PATTERN = /^[a-z0-9_.]{1,64}$/;
const MAX_LABEL_VALUES = 256;

/**
 * Counts by label value in a plain Map on the hot path (prom-client hashes the label object on every `inc`, even
 * through a `labels()` child) and publishes the totals when the registry is scraped. Label values are bounded
 * as above.
 */
class LabelledCount {
  #counts = new Map<string, number>();
  /** Distinct accepted label values (`other` aside). */
  #accepted = 0;

  inc(raw: string): void {
    const counts = this.#counts;
    const n = counts.get(raw);
    if (n !== undefined) {
      counts.set(raw, n + 1);
      return;
    }
    if (LABEL_PATTERN.test(raw) && this.#accepted < MAX_LABEL_VALUES) {
      this.#accepted += 1;
      counts.set(raw, 1);
      return;
    }
    counts.set('other', (counts.get('other') ?? 0) + 1);
  }

  /** Writes the totals into `counter` (called from its `collect`, at scrape time). */
  publish(counter: Counter<string>, label: string): void {
    counter.reset();
    for (const [value, n] of this.#counts) counter.inc({ [label]: value }, n);
  }
}

/** Creates Prometheus metrics on a fresh per-server {@link Registry} (never the global one). */
export function createPrometheusMetrics(
  options: PrometheusMetricsOptions = {},
): PrometheusEngineMetrics {
  const prefix = options.prefix ?? 'local_realtime_';
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix });

  const sessionsOpen = new Gauge({
    name: `${prefix}sessions_open`,
    help: 'Realtime sessions currently open.',
    registers: [registry],
  });
  const sessionsTotal = new Counter({
    name: `${prefix}sessions_total`,
    help: 'Realtime sessions opened since start.',
    registers: [registry],
  });
  const inTypes = new LabelledCount();
  const outTypes = new LabelledCount();
  const codes = new LabelledCount();
  new Counter({
    name: `${prefix}events_in_total`,
    help: 'Client events received, by type.',
    labelNames: ['type'],
    registers: [registry],
    collect() {
      inTypes.publish(this, 'type');
    },
  });
  new Counter({
    name: `${prefix}events_out_total`,
    help: 'Server events sent, by type.',
    labelNames: ['type'],
    registers: [registry],
    collect() {
      outTypes.publish(this, 'type');
    },
  });
  new Counter({
    name: `${prefix}errors_total`,
    help: 'Error events sent, by error code.',
    labelNames: ['code'],
    registers: [registry],
    collect() {
      codes.publish(this, 'code');
    },
  });
  const latency = new Histogram({
    name: `${prefix}response_latency_seconds`,
    help: 'Time from response.create to the first output delta.',
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });

  let open = 0;

  return {
    registry,
    get sessionsOpen() {
      return open;
    },
    eventIn: (type) => inTypes.inc(type),
    eventOut: (type) => outTypes.inc(type),
    error: (code) => codes.inc(code),
    responseLatency: (seconds) => {
      if (Number.isFinite(seconds) && seconds >= 0) latency.observe(seconds);
    },
    sessionOpened: () => {
      open += 1;
      sessionsOpen.set(open);
      sessionsTotal.inc();
    },
    sessionClosed: () => {
      open = Math.max(0, open - 1);
      sessionsOpen.set(open);
    },
    render: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}
