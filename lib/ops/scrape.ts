import { createHash, timingSafeEqual } from "node:crypto";
import { sql } from "drizzle-orm";
import pg from "pg";
import { type Db, queryRows } from "@/db/client";
import { metrics } from "./metrics";

const SCRAPE_QUERY_MS = 2_000;

const digest = (text: string) => createHash("sha256").update(text).digest();

/**
 * Who may scrape: with no token configured there is no endpoint (404); otherwise the request
 * must carry `Authorization: Bearer <token>` (401), compared in constant time.
 */
export function metricsAccess(
  token: string | undefined,
  authorization: string | null,
): 200 | 401 | 404 {
  if (!token) return 404;
  const given = /^Bearer (\S+)$/.exec(authorization ?? "")?.[1] ?? "";
  return timingSafeEqual(digest(given), digest(token)) ? 200 : 401;
}

/** The node-postgres pool behind a Drizzle database, or null on PGlite. */
function poolOf(db: Db): pg.Pool | null {
  const client = (db as { $client?: unknown }).$client;
  return client instanceof pg.Pool ? client : null;
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Reads the gauges that live in the database, then renders every metric as Prometheus text. */
export async function renderMetrics(db: Db): Promise<{ contentType: string; body: string }> {
  const m = metrics();
  const pool = poolOf(db);
  if (pool) {
    m.pool.set({ state: "total" }, pool.totalCount);
    m.pool.set({ state: "idle" }, pool.idleCount);
    m.pool.set({ state: "waiting" }, pool.waitingCount);
    m.pool.set({ state: "max" }, pool.options.max ?? 10);
  }
  // Both from partial or small scans; a database that doesn't answer leaves the last values.
  const rows = await withTimeout(
    queryRows<{ jobs: number; lag: number; outbox: number; oldest: number }>(
      db,
      sql`select
        (select count(*)::int from jobs where status in ('queued', 'running')) as jobs,
        (select coalesce(extract(epoch from now() - min(coalesce(updated_at, created_at))), 0)::float8
           from jobs where status in ('queued', 'running')) as lag,
        (select count(*)::int from outbox where sent_at is null) as outbox,
        (select coalesce(extract(epoch from now() - min(created_at)), 0)::float8
           from outbox where sent_at is null) as oldest`,
    ).catch(() => null),
    SCRAPE_QUERY_MS,
  );
  const row = rows?.[0];
  if (row) {
    m.jobsOpen.set(Number(row.jobs));
    m.jobLag.set(Math.max(0, Number(row.lag)));
    m.outboxLength.set(Number(row.outbox));
    m.outboxOldest.set(Math.max(0, Number(row.oldest)));
  }
  return { contentType: m.registry.contentType, body: await m.registry.metrics() };
}
