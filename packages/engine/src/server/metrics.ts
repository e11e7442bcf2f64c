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

class LabelGuard {
  #seen = new Set<string>();

  value(raw: string): string {
    if (this.#seen.has(raw)) return raw;
    if (!LABEL_PATTERN.test(raw) || this.#seen.size >= MAX_LABEL_VALUES) return 'other';
    this.#seen.add(raw);
    return raw;
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
  const eventsIn = new Counter({
    name: `${prefix}events_in_total`,
    help: 'Client events received, by type.',
    labelNames: ['type'],
    registers: [registry],
  });
  const eventsOut = new Counter({
    name: `${prefix}events_out_total`,
    help: 'Server events sent, by type.',
    labelNames: ['type'],
    registers: [registry],
  });
  const errors = new Counter({
    name: `${prefix}errors_total`,
    help: 'Error events sent, by error code.',
    labelNames: ['code'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: `${prefix}response_latency_seconds`,
    help: 'Time from response.create to the first output delta.',
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });

  const inTypes = new LabelGuard();
  const outTypes = new LabelGuard();
  const codes = new LabelGuard();
  let open = 0;

  return {
    registry,
    get sessionsOpen() {
      return open;
    },
    eventIn: (type) => eventsIn.inc({ type: inTypes.value(type) }),
    eventOut: (type) => eventsOut.inc({ type: outTypes.value(type) }),
    error: (code) => errors.inc({ code: codes.value(code) }),
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
