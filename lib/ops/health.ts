import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { type Executor, queryRows } from "@/db/client";
import { isWarmingUp } from "./warm-up";

/** How long /readyz waits for the database before answering 503. */
const READY_TIMEOUT_MS = 2_000;

/** How long after a good check a slow one (a busy pool) still counts as ready. */
const BUSY_GRACE_MS = 30_000;

type ShutdownGlobals = { rosterDraining?: boolean; rosterLastReadyAt?: number };
const g = globalThis as unknown as ShutdownGlobals;

/** SIGTERM received (lib/ops/shutdown.ts): readiness fails from now on. */
export function isDraining(): boolean {
  return g.rosterDraining === true;
}

export function setDraining(value: boolean): void {
  g.rosterDraining = value;
}

/** The newest migration this build ships (drizzle's journal), as drizzle records it when applied. */
export function latestShippedMigration(
  journal = path.join(
    /* turbopackIgnore: true */ process.cwd(),
    "db",
    "migrations",
    "meta",
    "_journal.json",
  ),
): number {
  const parsed = JSON.parse(readFileSync(journal, "utf8")) as { entries: { when: number }[] };
  return Math.max(...parsed.entries.map((e) => e.when));
}

export type Readiness = { ready: true } | { ready: false; reason: string };

async function check(db: Executor, shipped: number): Promise<Readiness> {
  let applied: number;
  try {
    const [row] = await queryRows<{ at: string | null }>(
      db,
      sql`select max(created_at)::text as at from drizzle.__drizzle_migrations`,
    );
    applied = Number(row?.at ?? 0);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    // 42P01 no table / 3F000 no schema: never migrated. 42501: the app role may not read it yet
    // (migration 0015 grants that), which means that migration is pending too.
    if (code === "42P01" || code === "3F000" || code === "42501") {
      return { ready: false, reason: "database migrations are pending" };
    }
    return { ready: false, reason: "the database did not answer" };
  }
  if (applied < shipped) return { ready: false, reason: "database migrations are pending" };
  return { ready: true };
}

/**
 * Whether this instance should get traffic: not draining, the database answers within
 * READY_TIMEOUT_MS, and every migration this build ships is applied. The reason names no
 * version, host or setting.
 */
export async function readiness(
  db: () => Promise<Executor>,
  options: { shipped?: number; timeoutMs?: number } = {},
): Promise<Readiness> {
  if (isDraining()) return { ready: false, reason: "shutting down" };
  if (isWarmingUp()) return { ready: false, reason: "warming up" };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Readiness>((resolve) => {
    timer = setTimeout(
      () => resolve({ ready: false, reason: "the database did not answer in time" }),
      options.timeoutMs ?? READY_TIMEOUT_MS,
    );
  });
  const work = (async (): Promise<Readiness> => {
    try {
      return await check(await db(), options.shipped ?? latestShippedMigration());
    } catch {
      return { ready: false, reason: "the database did not answer" };
    }
  })();
  try {
    let result = await Promise.race([work, timeout]);
    if (result.ready) {
      g.rosterLastReadyAt = Date.now();
    } else if (
      result.reason === "the database did not answer in time" &&
      Date.now() - (g.rosterLastReadyAt ?? Number.NEGATIVE_INFINITY) < BUSY_GRACE_MS
    ) {
      // A pool busy with real work makes the check wait behind it: the database answered a
      // moment ago, and failing every instance at once under load would take the whole
      // cluster out of the balancer. Only a database silent for BUSY_GRACE_MS fails readiness.
      result = { ready: true };
    }
    return isDraining() ? { ready: false, reason: "shutting down" } : result;
  } finally {
    clearTimeout(timer);
  }
}
