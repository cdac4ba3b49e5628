import { randomUUID } from "node:crypto";
import { type SQL, sql } from "drizzle-orm";
import { type Executor, queryRows } from "@/db/client";
import { LIFECYCLE_JOB } from "@/lib/jobs/queries";
import { wakeJobRunner } from "@/lib/jobs/runner";
import { LIFECYCLE, type Verb } from "@/lib/users/lifecycle";
import type { SelectionSource } from "@/lib/users/selection-sql";
import type { VerbResult } from "@/lib/users/verb-types";
import { JOB_UNDO_MINUTES } from "@/model/limits";
import { can, type Person } from "@/model/permissions";
import { freezeJob, type JobParamsToFreeze, type LifecycleJobParams } from "./freeze";

type Found =
  | { ok: true; action: Verb; inverse: Verb; params: LifecycleJobParams }
  | { ok: false; error: string };

async function undoable(db: Executor, actor: Person, jobId: string, now: Date): Promise<Found> {
  const [job] = await queryRows<{
    status: string;
    params: LifecycleJobParams;
    finished_at: string | Date | null;
  }>(
    db,
    sql`select status, params, finished_at from jobs
        where id = ${jobId}::uuid and kind = ${LIFECYCLE_JOB}`,
  );
  if (!job) return { ok: false, error: "That job doesn't exist." };
  if (!job.finished_at) return { ok: false, error: "The job hasn't finished yet." };
  const action = job.params.action;
  const inverse = LIFECYCLE[action]?.inverse ?? null;
  if (!inverse) return { ok: false, error: "This job can't be undone." };
  if (now.getTime() - new Date(job.finished_at).getTime() > JOB_UNDO_MINUTES * 60_000) {
    return {
      ok: false,
      error: `Undo was available for ${JOB_UNDO_MINUTES} minutes after the job ended.`,
    };
  }
  if (!can(actor.role, LIFECYCLE[inverse].permission)) {
    return { ok: false, error: "You don't have permission to undo this job." };
  }
  return { ok: true, action, inverse, params: job.params };
}

/** The users a job changed: its audit events carry its id. */
const changedBy = (jobId: string, action: Verb): SQL =>
  sql`audit_events e where e.job_id = ${jobId}::uuid and e.action = ${action}`;

/**
 * Whom an Undo of the job changes: those it changed who are still as it left them, nothing
 * having happened to them since (a later audit event). Everyone else it changed is skipped.
 */
function undoSource(jobId: string, action: Verb): SelectionSource {
  return {
    // Uncorrelated (a pair, not `e.to_status = users.status` inside): one pass over the job's
    // events joined by hash, where the correlated form rescanned them for every user.
    where: sql`("users"."id", "users"."status") in (
      select e.target_id, e.to_status from ${changedBy(jobId, action)}
        and not exists (
          select 1 from audit_events l
          where l.target_id = e.target_id and (l.at, l.id) > (e.at, e.id)))`,
    expected: null,
    missing: null,
  };
}

async function undoCounts(db: Executor, jobId: string, action: Verb) {
  const [row] = await queryRows<{ changed: number; still: number }>(
    db,
    sql`select (select count(distinct e.target_id)::int from ${changedBy(jobId, action)}) as changed,
               (select count(*)::int from users where ${undoSource(jobId, action).where}) as still`,
  );
  const changed = Number(row?.changed ?? 0);
  const changes = Number(row?.still ?? 0);
  return { changes, changedSince: Math.max(0, changed - changes) };
}

export type JobUndoPreview =
  | { ok: true; action: Verb; changes: number; changedSince: number }
  | { ok: false; error: string };

/** What an Undo of the job would do: the inverse, on how many, and how many changed since. */
export async function previewJobUndo(
  db: Executor,
  actor: Person,
  jobId: string,
  now: Date = new Date(),
): Promise<JobUndoPreview> {
  const found = await undoable(db, actor, jobId, now);
  if (!found.ok) return found;
  return { ok: true, action: found.inverse, ...(await undoCounts(db, jobId, found.action)) };
}

/**
 * Undoes a finished job: its inverse, as a job of its own, on exactly the users it changed and
 * nobody else, skipping (and counting) anyone changed since. Records it moved go back to their
 * owners as a single Undo's do (the job's batches remembered them under the job's id).
 */
export async function startJobUndo(
  db: Executor,
  args: {
    actor: Person;
    jobId: string;
    seatLimit: number;
    now?: Date;
    requestId?: string | null;
    baseUrl?: string;
  },
): Promise<VerbResult> {
  const now = args.now ?? new Date();
  const found = await undoable(db, args.actor, args.jobId, now);
  if (!found.ok) return found;
  const { changes, changedSince } = await undoCounts(db, args.jobId, found.action);
  if (changes === 0) {
    return { ok: false, error: "Nothing is left to undo: everyone it changed has changed since." };
  }
  const id = randomUUID();
  const skippedByReason = changedSince > 0 ? { conflict: changedSince } : {};
  const params: JobParamsToFreeze = {
    action: found.inverse,
    actor: { id: args.actor.id, role: args.actor.role },
    input: { options: {}, onConflict: "skip", undoOf: args.jobId },
    seatLimit: args.seatLimit,
    requestId: args.requestId ?? null,
    baseUrl: args.baseUrl ?? found.params.baseUrl,
    planned: { changes, skipped: changedSince, skippedByReason },
  };
  const total = await freezeJob(db, {
    id,
    actorId: args.actor.id,
    params,
    reason: "Undo",
    source: undoSource(args.jobId, found.action),
    now,
    skippedByReason,
  });
  wakeJobRunner();
  return {
    ok: true,
    action: found.inverse,
    done: 0,
    changed: [],
    skipped: [],
    skippedCount: changedSince,
    job: { id, total },
  };
}
