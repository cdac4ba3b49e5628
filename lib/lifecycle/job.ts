import { sql } from "drizzle-orm";
import { type Db, queryRows } from "@/db/client";
import type { UserRole, UserStatus } from "@/db/schema";
import { LIFECYCLE_JOB } from "@/lib/jobs/queries";
import { type JobHandler, registerJobHandler } from "@/lib/jobs/runner";
import { LIFECYCLE } from "@/lib/users/lifecycle";
import { jobBatchSource } from "@/lib/users/selection-sql";
import { applySource, type TransitionHooks } from "@/lib/users/transitions";
import type { SkipCode } from "@/lib/users/verb-types";
import { refineOptions } from "@/lib/users/verbs/options";
import { seatLimit } from "@/lib/workspace-settings";
import { can } from "@/model/permissions";
import { definition } from "@/model/verbs";
import { jobBatchSize } from "./config";
import type { LifecycleJobParams } from "./freeze";

type JobRow = {
  status: string;
  params: LifecycleJobParams;
  total: number;
  cursor: number;
  skipped_by_reason: Partial<Record<SkipCode, number>>;
  cancel_requested_at: string | null;
  created_at: string | Date;
};

/**
 * One batch of a lifecycle job, in ONE transaction: the job row is locked first, its cursor says
 * which items come next, the batch runs the same pipeline as a small action (locks in id order,
 * the same re-checks against the status each user was seen in, transfer and status together,
 * audit events carrying the job id), and the cursor moves in the same transaction. A batch that
 * dies half-way leaves nothing behind and is run again; one that committed is never run again.
 */
export async function runLifecycleBatch(
  db: Db,
  jobId: string,
  options: { hooks?: TransitionHooks; batchSize?: number; now?: Date } = {},
): Promise<"more" | "finished"> {
  return db.transaction(async (tx) => {
    const [job] = await queryRows<JobRow>(
      tx,
      sql`select status, params, total, cursor, skipped_by_reason, cancel_requested_at, created_at
          from jobs where id = ${jobId}::uuid for update`,
    );
    if (!job || (job.status !== "queued" && job.status !== "running")) return "finished";
    const end = async (status: "done" | "cancelled" | "failed", error: string | null = null) => {
      await tx.execute(sql`
        update jobs set status = ${status}, error = ${error}, finished_at = now(), updated_at = now()
        where id = ${jobId}::uuid`);
      // What was not applied (cancelled, failed) is not needed any more either.
      await tx.execute(sql`delete from job_items where job_id = ${jobId}::uuid`);
      return "finished" as const;
    };
    if (job.cancel_requested_at) return end("cancelled");
    if (job.cursor >= job.total) return end("done");
    const { params } = job;
    const rule = LIFECYCLE[params.action];
    // The admin who started it may have been demoted or taken out of use since.
    const [actor] = await queryRows<{ role: UserRole; status: UserStatus }>(
      tx,
      sql`select role, status from users where id = ${params.actor.id}::uuid`,
    );
    if (actor?.status !== "active" || !can(actor.role, rule.permission)) {
      return end(
        "failed",
        "The admin who started this job may no longer do this; the rest was not applied.",
      );
    }
    // The options' own checks with the actor as they are now ("a role below yours": an owner who
    // handed over the workspace may not go on making admins), and the time as when confirmed
    // ("a time in the future" held then; the job may run past it).
    const refused = refineOptions(definition(params.action), params.input.options ?? {}, {
      now: new Date(job.created_at),
      actor: { role: actor.role },
    });
    if (refused) return end("failed", `${refused} The rest was not applied.`);
    const upTo = Math.min(job.cursor + (options.batchSize ?? jobBatchSize()), job.total);
    const result = await applySource(tx, jobBatchSource(jobId, job.cursor, upTo), {
      actor: { id: params.actor.id, role: actor.role },
      action: params.action,
      input: params.input,
      reasonId: params.reasonId ?? null,
      // The workspace's limit now (the owner may have changed it since the job started).
      seatLimit: await seatLimit(tx),
      now: options.now ?? new Date(),
      requestId: params.requestId,
      baseUrl: params.baseUrl ?? undefined,
      jobId,
      countsOnly: true,
      hooks: options.hooks,
    });
    if (!result.ok) return end("failed", result.error);
    const byReason = { ...job.skipped_by_reason };
    for (const [code, n] of Object.entries(result.skippedByReason ?? {})) {
      byReason[code as SkipCode] = (byReason[code as SkipCode] ?? 0) + (n ?? 0);
    }
    // A batch's items are read by that batch only: they go with it, so that a finished job
    // leaves no copy of its selection behind (a whole tab is 850,000 rows at 1M users).
    await tx.execute(
      sql`delete from job_items where job_id = ${jobId}::uuid and seq <= ${upTo}::int`,
    );
    const finished = upTo >= job.total;
    await tx.execute(sql`
      update jobs set cursor = ${upTo}::int,
        done = done + ${result.done}::int,
        skipped = skipped + ${result.skippedCount ?? result.skipped.length}::int,
        skipped_by_reason = ${JSON.stringify(byReason)}::jsonb,
        updated_at = now(),
        status = ${finished ? "done" : "running"},
        finished_at = ${finished ? sql`now()` : sql`null`}
      where id = ${jobId}::uuid`);
    return finished ? "finished" : "more";
  });
}

const lifecycleJobHandler: JobHandler = (db, job) => runLifecycleBatch(db, job.id);

export function registerLifecycleJobs(): void {
  registerJobHandler(LIFECYCLE_JOB, lifecycleJobHandler);
}
