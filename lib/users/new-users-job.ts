import { sql } from "drizzle-orm";
import { type Db, type Executor, queryRows } from "@/db/client";
import { jsonRows } from "@/db/sql";
import { IMPORT_JOB } from "@/model/import-csv";
import { can, rolesBelow } from "@/model/permissions";
import type { UserRole } from "@/model/roles";
import type { UserStatus } from "@/model/statuses";
import { isNewUserVerb, newUserDefinition } from "@/model/verbs";
import { inviteNewUsers, tokensWhile } from "./invitations";
import { freeSeats } from "./seats";
import { FALLBACK_BASE_URL } from "./transitions";

/**
 * Creating many new people as a job (issue 16): Import CSV of a large file and Invite of many
 * pasted addresses share it. The people are staged in csv_import_rows (outcome 'create', in the
 * order they were given), the staging frozen, and a job of kind IMPORT_JOB creates them batch by
 * batch: each batch re-checks the starter's permission and rank, the free seats, who is a user already
 * (the unique index on lower(email): never created twice, so a batch run again changes nothing),
 * writes one audit event each (the action the job names: "import-csv" or "invite") and the
 * invitations and their emails of the invited ones.
 */

/**
 * A job's batch size adapts to the time a batch takes (the seat lock is held for a batch): the
 * first is JOB_BATCH rows, each next one scaled toward BATCH_TARGET_MS (at most ×2 or ÷2 a step),
 * within [BATCH_MIN, BATCH_MAX]. Fewer, larger batches on a quiet database (fewer commits and
 * fixed statements per row); smaller ones when the database is slow, so progress moves and a
 * cancel is seen within about a second.
 */
const JOB_BATCH = 1000;
const BATCH_MIN = 250;
const BATCH_MAX = 10_000;
const BATCH_TARGET_MS = 400;

/** The next batch's size, from this one's size and how long it took. */
export function nextBatchSize(size: number, elapsedMs: number): number {
  const scale = Math.min(2, Math.max(0.5, BATCH_TARGET_MS / Math.max(1, elapsedMs)));
  return Math.min(BATCH_MAX, Math.max(BATCH_MIN, Math.round(size * scale)));
}

type CreateArgs = {
  importId: string;
  /** The audit events' action: IMPORT_JOB, or the new-users verb ("invite"). */
  action: string;
  actorId: string;
  at: string;
  requestId: string | null;
  jobId: string | null;
  /** Rows after this line only, and at most `limit` of them (a job's batch). */
  afterLine: number;
  limit: number | null;
  /** Free seats now (a job's batch): invited rows past them are skipped. Null: checked already. */
  free: number | null;
  /** The roles the starter may give now (a job's batch): other rows are skipped. Null: checked. */
  roles: readonly UserRole[] | null;
  now: Date;
  baseUrl: string | undefined;
  /** The actor's name, when the caller has it (the invitations' emails say who invited). */
  actorName?: string | null;
};

/**
 * Creates the staged rows (all, or a job's batch): one INSERT … SELECT of users with one audit
 * event each, then the invitations (and their emails) of the invited ones. An address someone
 * else took since the plan is skipped (the unique index on lower(email)), never created twice.
 */
export async function createRows(
  tx: Executor,
  a: CreateArgs,
): Promise<{
  created: number;
  invited: number;
  taken: number;
  seat: number;
  rank: number;
  lastLine: number;
  rows: number;
}> {
  // The invited people created (their invitations are written next), then one row of counts
  // over the batch: no join back by address (a nested loop).
  const creating = queryRows<{
    id: string | null;
    name: string | null;
    email: string | null;
    created: number | null;
    seated: number | null;
    seat: number | null;
    rank: number | null;
    rows: number | null;
    last_line: number | null;
  }>(
    tx,
    sql`with x as (
          select line, name, email, role, status,
            ${a.roles === null ? sql`true` : sql`role = any(${`{${a.roles.join(",")}}`}::text[])`} as allowed
          -- All the rows after afterLine when limit is null (LIMIT NULL is no limit).
          from csv_import_batch(${a.importId}::uuid, ${a.afterLine}::int, ${a.limit}::int)
          order by line
        ), s as (
          select x.*, x.allowed and ${
            a.free === null
              ? sql`true`
              : sql`(x.status <> 'invited' or row_number() over (
              partition by x.status = 'invited' and x.allowed order by x.line) <= ${a.free}::int)`
          } as seated
          from x
        ), ins as (
          insert into users (name, email, role, status, status_changed_at, status_changed_by, created_at)
          select s.name, s.email, s.role::user_role, s.status::user_status,
            ${a.at}::timestamptz, ${a.actorId}::uuid, ${a.at}::timestamptz
          from s where s.seated order by s.line
          on conflict ((lower(email))) do nothing
          returning id, name, email, status
        ), audit as (
          insert into audit_events (at, actor_id, action, target_id, to_status, request_id, job_id)
          select ${a.at}::timestamptz, ${a.actorId}::uuid, ${a.action}, ins.id, ins.status,
            ${a.requestId}, ${a.jobId}::uuid
          from ins order by ins.id
        )
        select ins.id, ins.name, ins.email, null::int as created, null::int as seated,
          null::int as seat, null::int as rank, null::int as rows, null::int as last_line
        from ins where ins.status = 'invited'
        union all
        select null, null, null, (select count(*) from ins)::int,
          (count(*) filter (where s.seated))::int,
          (count(*) filter (where s.allowed and not s.seated))::int,
          (count(*) filter (where not s.allowed))::int,
          count(*)::int, max(s.line)
        from s`,
  );
  // A job's batch: its invitations' tokens are made while the database creates the people.
  const ready = a.limit === null ? undefined : await tokensWhile(creating, a.limit);
  const rows = await creating;
  const counts = rows.find((r) => r.id === null);
  const invited = rows
    .filter((r) => r.id !== null)
    .map((r) => ({
      id: r.id as string,
      name: r.name as string,
      email: r.email as string,
      status: "invited" as const,
    }));
  await inviteNewUsers(tx, {
    people: invited,
    createdBy: a.actorId,
    inviterName: a.actorName,
    ready,
    baseUrl: a.baseUrl ?? FALLBACK_BASE_URL,
    now: a.now,
  });
  const created = counts?.created ?? 0;
  return {
    created,
    invited: invited.length,
    taken: (counts?.seated ?? 0) - created,
    seat: counts?.seat ?? 0,
    rank: counts?.rank ?? 0,
    lastLine: Math.max(a.afterLine, counts?.last_line ?? 0),
    rows: counts?.rows ?? 0,
  };
}

export async function finishImport(tx: Executor, importId: string, at: string): Promise<void> {
  await tx.execute(sql`delete from csv_import_rows where import_id = ${importId}::uuid`);
  await tx.execute(
    sql`update csv_imports set applied_at = coalesce(applied_at, ${at}::timestamptz) where id = ${importId}::uuid`,
  );
}

/**
 * Stages people to create (already planned: every row is created unless its batch finds it
 * taken or without a seat) as a frozen import of the actor's, for startNewUsersJob.
 */
export async function stageNewUsers(
  tx: Executor,
  args: {
    actorId: string;
    label: string;
    rows: { line: number; email: string; name: string; role: UserRole; status: UserStatus }[];
    at: string;
  },
): Promise<string> {
  const [staged] = await queryRows<{ id: string }>(
    tx,
    sql`insert into csv_imports (actor_id, file_name, rows, created_at, applied_at)
        values (${args.actorId}::uuid, ${args.label}, ${args.rows.length}::int,
          ${args.at}::timestamptz, ${args.at}::timestamptz)
        returning id`,
  );
  if (!staged) throw new Error("csv_imports: no row returned");
  const json = args.rows.map((r) => ({ l: r.line, e: r.email, n: r.name, r: r.role, s: r.status }));
  await tx.execute(sql`
    insert into csv_import_rows (import_id, line, email, name, role, status, outcome)
    select ${staged.id}::uuid, x.l, x.e, x.n, x.r, x.s, 'create'
    from jsonb_to_recordset(${jsonRows(json)}) as x(l int, e text, n text, r text, s text)`);
  return staged.id;
}

type JobParams = {
  /** IMPORT_JOB, or the new-users verb: the audit events' action, and what the job card says. */
  action: string;
  importId: string;
  lastLine: number;
  /** The next batch's size (nextBatchSize); absent: JOB_BATCH. */
  batchSize?: number;
  requestId: string | null;
  baseUrl: string | null;
};

/** The job that creates the staged rows of `importId` (outcome 'create'), `total` of them. */
export async function startNewUsersJob(
  tx: Executor,
  args: {
    action: string;
    importId: string;
    actorId: string;
    total: number;
    at: string;
    requestId: string | null;
    baseUrl: string | null;
  },
): Promise<{ id: string; total: number }> {
  // What the card says will change: the skips of the preview are the dialog's to tell.
  const params: JobParams & { planned: unknown } = {
    action: args.action,
    importId: args.importId,
    lastLine: 0,
    requestId: args.requestId,
    baseUrl: args.baseUrl,
    planned: { changes: args.total, skipped: 0, skippedByReason: {} },
  };
  const [job] = await queryRows<{ id: string }>(
    tx,
    sql`insert into jobs (kind, actor_id, params, total, skipped, created_at, updated_at)
        values (${IMPORT_JOB}, ${args.actorId}::uuid, ${JSON.stringify(params)}::jsonb,
          ${args.total}::int, 0, ${args.at}::timestamptz, ${args.at}::timestamptz)
        returning id`,
  );
  if (!job) throw new Error("jobs: no row returned");
  return { id: job.id, total: args.total };
}

/** The permission a job that creates people needs of its starter at every batch. */
function permissionOf(action: string) {
  return isNewUserVerb(action) ? newUserDefinition(action).rule.permission : "users.invite";
}

/**
 * One batch of a job that creates people, in one transaction: the job's row locked (a batch runs
 * once), the starter still allowed, the seat lock, then the next rows created (an invited row
 * finding no free seat now is skipped, "No seat left"; an address taken meanwhile, "Changed by
 * someone else"), and the job's progress moved. The last batch deletes the staging. A batch is
 * `batchSize` rows if given, else the job's own size (nextBatchSize), kept in its params.
 */
export async function runNewUsersBatch(
  db: Db,
  jobId: string,
  options: { seatLimit: (tx: Executor) => Promise<number>; batchSize?: number; now?: Date },
): Promise<"more" | "finished"> {
  const now = options.now ?? new Date();
  const at = now.toISOString();
  return db.transaction(async (tx) => {
    const started = performance.now();
    const [job] = await queryRows<{
      status: string;
      actor_id: string | null;
      params: JobParams;
      total: number;
      cursor: number;
      skipped_by_reason: Record<string, number>;
      cancel_requested: boolean;
    }>(
      tx,
      sql`select status, actor_id, params, total, cursor, skipped_by_reason,
            cancel_requested_at is not null as cancel_requested
          from jobs where id = ${jobId}::uuid for update`,
    );
    if (!job || (job.status !== "queued" && job.status !== "running")) return "finished";
    const end = async (status: "failed" | "done" | "cancelled", error: string | null) => {
      await finishImport(tx, job.params.importId, at);
      await tx.execute(sql`
        update jobs set status = ${status}, error = ${error}, finished_at = ${at}::timestamptz,
          updated_at = ${at}::timestamptz
        where id = ${jobId}::uuid`);
      return "finished" as const;
    };
    const action = job.params.action ?? IMPORT_JOB;
    const [actor] = await queryRows<{ role: UserRole; status: UserStatus; name: string }>(
      tx,
      sql`select role, status, name from users where id = ${job.actor_id}::uuid`,
    );
    if (actor?.status !== "active" || !can(actor.role, permissionOf(action))) {
      return end(
        "failed",
        "The admin who started this job may no longer invite people; the rest were not created.",
      );
    }
    if (job.cancel_requested) return end("cancelled", null);
    const free = await freeSeats(tx, await options.seatLimit(tx));
    const size = options.batchSize ?? job.params.batchSize ?? JOB_BATCH;
    const made = await createRows(tx, {
      importId: job.params.importId,
      action,
      actorId: job.actor_id as string,
      at,
      requestId: job.params.requestId,
      jobId,
      afterLine: job.params.lastLine,
      limit: size,
      free,
      // Demoted meanwhile, yet still allowed to invite: only roles below their new one.
      roles: rolesBelow(actor.role),
      now,
      baseUrl: job.params.baseUrl ?? undefined,
      actorName: actor.name,
    });
    const byReason = { ...job.skipped_by_reason };
    if (made.taken) byReason.conflict = (byReason.conflict ?? 0) + made.taken;
    if (made.seat) byReason.seat = (byReason.seat ?? 0) + made.seat;
    if (made.rank) byReason.rank = (byReason.rank ?? 0) + made.rank;
    const cursor = job.cursor + made.rows;
    const finished = made.rows === 0 || cursor >= job.total;
    const next = nextBatchSize(size, performance.now() - started);
    await tx.execute(sql`
      update jobs set cursor = ${cursor}::int, done = done + ${made.created}::int,
        skipped = skipped + ${made.taken + made.seat + made.rank}::int,
        skipped_by_reason = ${JSON.stringify(byReason)}::jsonb,
        params = params || jsonb_build_object('lastLine', ${made.lastLine}::int, 'batchSize', ${next}::int),
        updated_at = ${at}::timestamptz,
        status = ${finished ? "done" : "running"},
        finished_at = ${finished ? sql`${at}::timestamptz` : sql`null`}
      where id = ${jobId}::uuid`);
    if (finished) await finishImport(tx, job.params.importId, at);
    return finished ? "finished" : "more";
  });
}
