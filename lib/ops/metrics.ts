import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/**
 * The server's Prometheus metrics, one registry per process (kept on globalThis: Next bundles the
 * routes and the instrumentation hook apart, and both must count into the same one). Values that
 * live in the database (job lag, outbox) are read when scraped (lib/ops/scrape.ts).
 */
function build() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "roster_" });
  return {
    registry,
    httpDuration: new Histogram({
      name: "roster_http_request_duration_seconds",
      help: "HTTP requests by route pattern, method and status class",
      labelNames: ["route", "method", "status"] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    actions: new Counter({
      name: "roster_actions_total",
      help: "Server actions by name, lifecycle verb (- for none) and outcome",
      labelNames: ["action", "verb", "outcome"] as const,
      registers: [registry],
    }),
    jobBatches: new Counter({
      name: "roster_job_batches_total",
      help: "Job steps (one batch, one transaction) run by this instance, by kind and outcome",
      labelNames: ["kind", "outcome"] as const,
      registers: [registry],
    }),
    jobBatchDuration: new Histogram({
      name: "roster_job_batch_duration_seconds",
      help: "Duration of job steps run by this instance",
      labelNames: ["kind"] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
      registers: [registry],
    }),
    signInRefusals: new Counter({
      name: "roster_sign_in_refusals_total",
      help: "Refused sign-ins by reason code",
      labelNames: ["reason"] as const,
      registers: [registry],
    }),
    exportsRefused: new Counter({
      name: "roster_exports_refused_total",
      help: "CSV exports refused because the per-user limit was reached",
      registers: [registry],
    }),
    jobLag: new Gauge({
      name: "roster_job_lag_seconds",
      help: "Seconds since the longest-waiting open job last moved (0 with no open job)",
      registers: [registry],
    }),
    jobsOpen: new Gauge({
      name: "roster_jobs_open",
      help: "Jobs queued or running, on every instance",
      registers: [registry],
    }),
    outboxLength: new Gauge({
      name: "roster_outbox_queue_length",
      help: "Emails waiting in the outbox",
      registers: [registry],
    }),
    outboxOldest: new Gauge({
      name: "roster_outbox_oldest_age_seconds",
      help: "Age of the oldest email waiting in the outbox (0 when empty)",
      registers: [registry],
    }),
    pool: new Gauge({
      name: "roster_db_pool_connections",
      help: "This instance's database pool: total and idle connections, waiting requests, the limit",
      labelNames: ["state"] as const,
      registers: [registry],
    }),
    exportsActive: new Gauge({
      name: "roster_exports_active",
      help: "CSV downloads in progress on this instance",
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof build>;
const g = globalThis as unknown as { rosterMetrics?: Metrics };

export function metrics(): Metrics {
  g.rosterMetrics ??= build();
  return g.rosterMetrics;
}
