import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { type Db, queryRows } from "@/db/client";
import type { JobStatus } from "@/db/schema";
import { errorFields, log } from "@/lib/ops/log";
import { metrics } from "@/lib/ops/metrics";

/** A job as the runner hands it to its handler. */
export type ClaimedJob = {
  id: string;
  kind: string;
  status: JobStatus;
  params: unknown;
  total: number;
  cursor: number;
};

/**
 * Runs ONE step of a job (a batch: one transaction) and says whether there is more to do. A step
 * must be safe to run again after a crash: it moves the job's cursor in its own transaction.
 */
export type JobHandler = (db: Db, job: ClaimedJob) => Promise<"more" | "finished">;

const handlers = new Map<string, JobHandler>();

/** Job kinds → handlers: lifecycle actions today, scheduled policies later. */
export function registerJobHandler(kind: string, handler: JobHandler): void {
  handlers.set(kind, handler);
}

/** How long a claim holds: a runner that dies lets its job go after this. */
export const LEASE_MS = 30_000;
const MAX_ATTEMPTS = 3;

/**
 * Takes the oldest open job whose lease is free (or already this runner's) and whose not-before
 * time (a change that ends by itself) has come, and leases it. On
 * PostgreSQL, SKIP LOCKED and the lease keep two app instances off one job; either way the
 * batch itself re-checks the cursor under a row lock, so no batch is ever applied twice.
 */
export async function claimJob(
  db: Db,
  runnerId: string,
  now = new Date(),
): Promise<ClaimedJob | null> {
  const at = now.toISOString();
  const [job] = await queryRows<ClaimedJob>(
    db,
    sql`update jobs set status = 'running', runner = ${runnerId},
          lease_until = ${at}::timestamptz + ${`${LEASE_MS} milliseconds`}::interval,
          started_at = coalesce(started_at, ${at}::timestamptz)
        where id = (
          select id from jobs
          where status in ('queued', 'running')
            and (lease_until is null or lease_until < ${at}::timestamptz or runner = ${runnerId})
            and (not_before is null or not_before <= ${at}::timestamptz)
          order by created_at, id
          limit 1
          for update skip locked)
        returning id, kind, status, params, total, cursor`,
  );
  return job ?? null;
}

const failures = new Map<string, number>();

/** One step of one job; false when there was nothing to do. */
async function runJobStep(db: Db, runnerId: string): Promise<boolean> {
  const job = await claimJob(db, runnerId);
  if (!job) return false;
  const handler = handlers.get(job.kind);
  if (!handler) {
    await finishJob(db, job.id, "failed", `No handler for jobs of kind "${job.kind}".`);
    return true;
  }
  const started = performance.now();
  const observe = (outcome: string) => {
    const seconds = (performance.now() - started) / 1000;
    metrics().jobBatches.inc({ kind: job.kind, outcome });
    metrics().jobBatchDuration.observe({ kind: job.kind }, seconds);
    log().info({
      msg: "job batch",
      runnerId,
      jobId: job.id,
      kind: job.kind,
      outcome,
      durationMs: Math.round(seconds * 1000),
    });
  };
  try {
    const next = await handler(db, job);
    failures.delete(job.id);
    observe(next);
    if (next === "finished") await releaseJob(db, job.id);
  } catch (error) {
    observe("error");
    const attempts = (failures.get(job.id) ?? 0) + 1;
    failures.set(job.id, attempts);
    log().error({
      msg: "job batch failed",
      jobId: job.id,
      kind: job.kind,
      attempt: attempts,
      ...errorFields(error),
    });
    if (attempts >= MAX_ATTEMPTS) {
      failures.delete(job.id);
      await finishJob(
        db,
        job.id,
        "failed",
        "The job stopped after repeated errors; what was done stays done.",
      );
    }
  }
  return true;
}

async function finishJob(
  db: Db,
  id: string,
  status: Extract<JobStatus, "done" | "cancelled" | "failed">,
  error: string | null = null,
): Promise<void> {
  await db.execute(sql`
    update jobs set status = ${status}, error = coalesce(${error}, error), finished_at = now(),
      updated_at = now(), lease_until = null
    where id = ${id}::uuid and status in ('queued', 'running')`);
}

async function releaseJob(db: Db, id: string): Promise<void> {
  await db.execute(sql`update jobs set lease_until = null where id = ${id}::uuid`);
}

/**
 * Gives up every lease this runner holds (its step has ended: nothing of it is in flight), so
 * another instance takes the job at its next poll instead of after LEASE_MS.
 */
async function releaseLeases(db: Db, runnerId: string): Promise<void> {
  await db.execute(sql`
    update jobs set lease_until = null
    where runner = ${runnerId} and status in ('queued', 'running') and lease_until is not null`);
}

type Runner = { id: string; stop: () => Promise<void>; wake: () => void };
const globalForJobs = globalThis as unknown as { rosterJobRunner?: Runner };

export function wakeJobRunner(): void {
  globalForJobs.rosterJobRunner?.wake();
}

/** Stops this process's runner (SIGTERM): its batch in flight ends, then its lease is released. */
export async function stopJobRunner(): Promise<void> {
  await globalForJobs.rosterJobRunner?.stop();
}

/**
 * The one runner of this server process (started from lib/start.ts): runs steps back to back
 * while there is work, else sleeps until woken (a job was created here) or `idleMs` passes (a job
 * created by another instance, or one whose lease ran out after a crash).
 */
export function startJobRunner(options: {
  getDb: () => Promise<Db>;
  idleMs?: number;
  /** This process owns the database (PGlite): leases left by a killed process are void. */
  ownsDatabase?: boolean;
}): Runner {
  if (globalForJobs.rosterJobRunner) return globalForJobs.rosterJobRunner;
  const id = `runner-${randomUUID()}`;
  const idleMs = options.idleMs ?? 1_000;
  let stopped = false;
  let wakeUp: (() => void) | null = null;
  const loop = (async () => {
    const db = await options.getDb();
    if (options.ownsDatabase) {
      await db.execute(
        sql`update jobs set lease_until = null where status in ('queued', 'running')`,
      );
    }
    await runSteps(db);
    // Stopped (SIGTERM): the step in flight has ended; hand this runner's job over at once.
    await releaseLeases(db, id).catch((error: unknown) =>
      log().error({ msg: "job lease release failed", ...errorFields(error) }),
    );
  })();
  async function runSteps(db: Db): Promise<void> {
    while (!stopped) {
      let worked = false;
      try {
        worked = await runJobStep(db, id);
      } catch (error) {
        log().error({ msg: "job runner step failed", ...errorFields(error) });
      }
      if (!worked && !stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, idleMs);
          wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wakeUp = null;
      }
    }
  }
  const runner: Runner = {
    id,
    wake: () => wakeUp?.(),
    stop: async () => {
      stopped = true;
      wakeUp?.();
      await loop;
      globalForJobs.rosterJobRunner = undefined;
    },
  };
  globalForJobs.rosterJobRunner = runner;
  return runner;
}
