import { sql } from "drizzle-orm";
import { type Executor, queryRows } from "@/db/client";
import type { JobStatus, UserRole } from "@/db/schema";
import { IMPORT_JOB } from "@/model/import-csv";
import { can, type Person, rank } from "@/model/permissions";
import type { SkipCode } from "@/model/skip-reasons";
import {
  definition,
  isNewUserVerb,
  NEW_USER_VERB_NAMES,
  type NewUserVerb,
  newUserDefinition,
  VERB_NAMES,
  type Verb,
} from "@/model/verbs";

/** The kind of the jobs an admin starts: a lifecycle action on a large selection. */
export const LIFECYCLE_JOB = "lifecycle";

/** What the progress bar and the jobs list show of a job. */
export type JobView = {
  id: string;
  kind: string;
  /** Lifecycle jobs: the action. */
  action: Verb | null;
  /** Jobs that create people (kind IMPORT_JOB) started by a new-users verb ("invite"). */
  newUserAction: NewUserVerb | null;
  status: JobStatus;
  startedBy: string | null;
  /** Who started it: their ended job's result (and its Undo) is theirs to see above the table. */
  startedById: string | null;
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
  /** What the confirmation said (lifecycle jobs): how many change, how many are skipped and why. */
  planned: JobPlan | null;
};

/** The confirmation's counts, kept with the job so its card says the same. */
export type JobPlan = {
  changes: number;
  skipped: number;
  skippedByReason: Partial<Record<SkipCode, number>>;
};

type Row = {
  id: string;
  kind: string;
  status: JobStatus;
  action: string | null;
  started_by: string | null;
  actor_id: string | null;
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
  planned: JobPlan | null;
};

const iso = (d: string | Date) => new Date(d).toISOString();

/** A lifecycle job's action, when it names one. */
function verbOf(name: string | null): Verb | null {
  return (VERB_NAMES as readonly string[]).includes(name ?? "") ? (name as Verb) : null;
}

function view(r: Row): JobView {
  const remaining = Math.max(0, r.total - r.cursor);
  let etaSeconds: number | null = null;
  const open = r.status === "queued" || r.status === "running";
  if (open && r.started_at && r.cursor > 0) {
    const elapsed = (new Date(r.updated_at).getTime() - new Date(r.started_at).getTime()) / 1000;
    if (elapsed > 0) etaSeconds = Math.ceil((remaining * elapsed) / r.cursor);
  }
  const action = verbOf(r.action);
  return {
    id: r.id,
    kind: r.kind,
    action,
    newUserAction: r.action !== null && isNewUserVerb(r.action) ? r.action : null,
    status: r.status,
    startedBy: r.started_by,
    startedById: r.actor_id,
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
    planned: r.planned ?? null,
  };
}

const COLUMNS = sql`j.id, j.kind, j.status, j.params->>'action' as action,
  (select u.name from users u where u.id = j.actor_id) as started_by, j.actor_id,
  j.total, j.cursor, j.done, j.skipped, j.skipped_by_reason, j.cancel_requested_at, j.error,
  j.created_at, j.started_at, j.updated_at, j.finished_at, j.params->'planned' as planned`;

/** The jobs admins start (large selections); the system's own (a change ending) are audited. */
const ADMIN_JOBS = sql`j.kind in (${LIFECYCLE_JOB}, ${IMPORT_JOB})`;

/** The permission of a job's action: a verb's, a new-users verb's, or Import CSV's. */
function permissionOf(action: string | null) {
  if (action === null) return null;
  if (VERB_NAMES.includes(action as Verb)) return definition(action as Verb).rule.permission;
  if (isNewUserVerb(action)) return newUserDefinition(action).rule.permission;
  return action === IMPORT_JOB ? "users.invite" : null;
}

/**
 * The jobs a role may see: those of the actions it may run (a manager sees no deactivation job).
 * Lifecycle jobs name their action in `params`; Import CSV jobs name their kind there, and
 * Invite's jobs (of that kind) their verb.
 */
function visibleTo(viewer: UserRole) {
  const actions = [...VERB_NAMES, ...NEW_USER_VERB_NAMES, IMPORT_JOB].filter((a) => {
    const permission = permissionOf(a);
    return permission !== null && can(viewer, permission);
  });
  if (actions.length === 0) return sql`false`;
  return sql`(j.params->>'action') in (${sql.join(
    actions.map((a) => sql`${a}`),
    sql`, `,
  )})`;
}

/** The latest jobs the viewer may see, newest first: open ones and those finished recently. */
export async function listJobs(db: Executor, viewer: UserRole, limit = 50): Promise<JobView[]> {
  const rows = await queryRows<Row>(
    db,
    sql`select ${COLUMNS} from jobs j where ${ADMIN_JOBS} and ${visibleTo(viewer)}
        order by j.created_at desc, j.id desc limit ${limit}::int`,
  );
  return rows.map(view);
}

/**
 * What /users shows above the table: to every admin, jobs running or waiting; to the admin who
 * started one, its result once it ended (in the last 10 minutes), until they dismiss it. Every
 * other ended job is on /jobs.
 */
export async function openJobs(db: Executor, viewer: Person): Promise<JobView[]> {
  const rows = await queryRows<Row>(
    db,
    sql`select ${COLUMNS} from jobs j
        where ${ADMIN_JOBS} and ${visibleTo(viewer.role)}
          and (j.status in ('queued', 'running')
            or (j.actor_id = ${viewer.id}::uuid and j.dismissed_at is null
                and j.finished_at > now() - interval '10 minutes'))
        order by j.created_at desc, j.id desc limit 20`,
  );
  return rows.map(view);
}

/** Its starter closes an ended job's card on /users. False when it isn't theirs or hasn't ended. */
export async function dismissJob(db: Executor, id: string, viewerId: string): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`update jobs set dismissed_at = coalesce(dismissed_at, now())
        where id = ${id}::uuid and actor_id = ${viewerId}::uuid and finished_at is not null
        returning id`,
  );
  return rows.length > 0;
}

export async function jobsByIds(
  db: Executor,
  ids: readonly string[],
  viewer: UserRole,
): Promise<JobView[]> {
  if (ids.length === 0) return [];
  const rows = await queryRows<Row>(
    db,
    sql`select ${COLUMNS} from jobs j where j.id in (${sql.join(
      ids.map((id) => sql`${id}::uuid`),
      sql`, `,
    )}) and ${visibleTo(viewer)}`,
  );
  return rows.map(view);
}

const CANCEL_DENIED = "You don't have permission to cancel this job.";

/**
 * Cancelling follows the action's rules: the actor needs its permission, and may not cancel a
 * job started by someone of higher rank (an admin, the owner's).
 */
export async function cancelJobAs(
  db: Executor,
  actor: Person,
  id: string,
): Promise<{ ok: true } | { ok: false; error: string }> {
  const [job] = await queryRows<{ action: string | null; started_role: UserRole | null }>(
    db,
    sql`select j.params->>'action' as action,
          (select u.role from users u where u.id = j.actor_id) as started_role
        from jobs j where j.id = ${id}::uuid`,
  );
  if (!job) return { ok: false, error: "That job doesn't exist." };
  const permission = permissionOf(job.action);
  if (!permission || !can(actor.role, permission)) {
    return { ok: false, error: CANCEL_DENIED };
  }
  if (job.started_role && rank(job.started_role) > rank(actor.role)) {
    return { ok: false, error: CANCEL_DENIED };
  }
  if (!(await requestJobCancel(db, id))) return { ok: false, error: "That job has already ended." };
  return { ok: true };
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
