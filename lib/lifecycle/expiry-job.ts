import { sql } from "drizzle-orm";
import { type JobHandler, registerJobHandler } from "@/lib/jobs/runner";
import { EXPIRY_JOB, type ExpiryJobParams, endExpired } from "@/lib/users/expiry";

/**
 * Ends a change at its time (the runner claims the job only once its not-before time has come):
 * the inverse and the job's end in one transaction, so a crash leaves the job to run again.
 */
export const expiryJobHandler: JobHandler = (db, job) =>
  db.transaction(async (tx) => {
    const result = await endExpired(tx, job.params as ExpiryJobParams, {
      now: new Date(),
      jobId: job.id,
    });
    await tx.execute(sql`
      update jobs set status = ${result.ok ? "done" : "failed"},
        done = ${result.ok ? result.done : 0}::int,
        skipped = ${result.ok ? (result.skippedCount ?? 0) : 0}::int,
        error = ${result.ok ? null : result.error},
        finished_at = now(), updated_at = now()
      where id = ${job.id}::uuid`);
    return "finished" as const;
  });

export function registerExpiryJobs(): void {
  registerJobHandler(EXPIRY_JOB, expiryJobHandler);
}
