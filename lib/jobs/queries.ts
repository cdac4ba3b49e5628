import { sql } from "drizzle-orm";
import { type Executor, queryRows } from "@/db/client";
import type { JobStatus } from "@/db/schema";
import type { SkipCode } from "@/lib/users/action-types";
import { LIFECYCLE_ACTIONS, type LifecycleAction } from "@/lib/users/lifecycle";

/** What the progress bar and the jobs list show of a job. */
export type JobView = {
  id: string;
  kind: string;
  /** Lifecycle jobs: the action. */
  action: LifecycleAction | null;
  status: JobStatus;
  startedBy: string | null;
  total: number;
  done: number;
  skipped: number;
  skippedByReason: Partial<Record<SkipCode, number>>;
  remaining: number;
  /** Seconds left at the pace so far; null until a batch is done. */
  etaSeconds: number | null;
  cancelRequested: boolean;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
};

type Row = {
  id: string;
  kind: string;
  status: JobStatus;
  action: string | null;
  started_by: string | null;
  total: number;
  cursor: number;
  done: number;
  skipped: number;
  skipped_by_reason: Partial<Record<SkipCode, number>>;
  cancel_requested_at: string | Date | null;
  error: string | null;
  created_at: string | Date;
  started_at: string | Date | null;
  updated_at: string | Date;
  finished_at: string | Date | null;
};

const iso = (d: string | Date) => new Date(d).toISOString();

function view(r: Row): JobView {
  const remaining = Math.max(0, r.total - r.cursor);
  let etaSeconds: number | null = null;
  const open = r.status === "queued" || r.status === "running";
  if (open && r.started_at && r.cursor > 0) {
    const elapsed = (new Date(r.updated_at).getTime() - new Date(r.started_at).getTime()) / 1000;
    if (elapsed > 0) etaSeconds = Math.ceil((remaining * elapsed) / r.cursor);
  }
  const action = (LIFECYCLE_ACTIONS as readonly string[]).includes(r.action ?? "")
    ? (r.action as LifecycleAction)
    : null;
  return {
    id: r.id,
    kind: r.kind,
    action,
    status: r.status,
    startedBy: r.started_by,
    total: r.total,
    done: r.done,
    skipped: r.skipped,
    skippedByReason: r.skipped_by_reason ?? {},
    remaining,
    etaSeconds,
    cancelRequested: r.cancel_requested_at !== null,
    error: r.error,
    createdAt: iso(r.created_at),
    finishedAt: r.finished_at ? iso(r.finished_at) : null,
  };
}

const COLUMNS = sql`j.id, j.kind, j.status, j.params->>'action' as action,
  (select u.name from users u where u.id = j.actor_id) as started_by,
  j.total, j.cursor, j.done, j.skipped, j.skipped_by_reason, j.cancel_requested_at, j.error,
  j.created_at, j.started_at, j.updated_at, j.finished_at`;

/** The latest jobs, newest first: open ones and those finished recently. */
export async function listJobs(db: Executor, limit = 50): Promise<JobView[]> {
  const rows = await queryRows<Row>(
    db,
    sql`select ${COLUMNS} from jobs j order by j.created_at desc, j.id desc limit ${limit}::int`,
  );
  return rows.map(view);
}

/**
 * What /users shows above the table, to every admin: jobs running or waiting, and those that
 * ended in the last 10 minutes (with their result), newest first.
 */
export async function openJobs(db: Executor): Promise<JobView[]> {
  const rows = await queryRows<Row>(
    db,
    sql`select ${COLUMNS} from jobs j
        where j.status in ('queued', 'running') or j.finished_at > now() - interval '10 minutes'
        order by j.created_at desc, j.id desc limit 20`,
  );
  return rows.map(view);
}

export async function jobsByIds(db: Executor, ids: readonly string[]): Promise<JobView[]> {
  if (ids.length === 0) return [];
  const rows = await queryRows<Row>(
    db,
    sql`select ${COLUMNS} from jobs j where j.id in (${sql.join(
      ids.map((id) => sql`${id}::uuid`),
      sql`, `,
    )})`,
  );
  return rows.map(view);
}

/**
 * Asks a job to stop: the runner sees it before its next batch (what is done stays done). Returns
 * false when the job had already ended.
 */
export async function requestJobCancel(db: Executor, id: string): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`update jobs set cancel_requested_at = coalesce(cancel_requested_at, now()), updated_at = now()
        where id = ${id}::uuid and status in ('queued', 'running') returning id`,
  );
  return rows.length > 0;
}
