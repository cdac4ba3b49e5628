import { sql } from "drizzle-orm";
import { type Db, type Executor, queryRows } from "@/db/client";
import { jsonRows } from "@/db/sql";
import { IMPORT_JOB, IMPORT_JOB_ROWS, IMPORT_MESSAGES, type RowProblem } from "@/model/import-csv";
import { type Person, rolesBelow } from "@/model/permissions";
import type { UserRole } from "@/model/roles";
import { TAB_LABELS, type Tab, tabOf, type UserStatus } from "@/model/statuses";
import { CsvFileError, type CsvRow, type CsvSource, readCsvRows } from "./csv-rows";
import { PLAN_CHANGED } from "./new-users";
import { createRows, finishImport, startNewUsersJob } from "./new-users-job";
import { seatsUsed } from "./queries";
import { freeSeats } from "./seats";

/**
 * Import CSV, the new-users pipeline (new-users.ts) for a file: the preview reads the file once
 * into csv_import_rows and plans every row in SQL (twice in the file, already a user, seats);
 * the apply, given the import's id, plans again under the seat lock and creates exactly the rows
 * the preview said it would (a different plan applies nothing and shows the new one), with an
 * audit event each, invitations (and their emails) for invited rows: one transaction.
 */

/** How long a preview can be confirmed; older imports are deleted. */
const IMPORT_TTL_MS = 60 * 60_000;
const BATCH = 1000;
/** The most rows of each list a preview carries to the browser. */
const SHOWN = 200;

export type ImportRowView = {
  line: number;
  email: string;
  name: string;
  role: string;
  status: string;
  problems: RowProblem[];
  /** For a row skipped as already a user: who, and on which tab. */
  user?: { id: string; tab: Tab };
};

export type ImportPreview = {
  ok: true;
  importId: string;
  fileName: string;
  rows: number;
  create: { invited: number; pending: number };
  willCreate: ImportRowView[];
  errorCount: number;
  errors: ImportRowView[];
  skippedCount: number;
  skipped: ImportRowView[];
  seats: { needed: number; free: number };
};

type Failure = { ok: false; error: string; conflict?: boolean };

/** Previews older than IMPORT_TTL_MS go; the rows an open job is still to create stay. */
async function deleteExpired(db: Executor, now: Date): Promise<void> {
  const before = new Date(now.getTime() - IMPORT_TTL_MS).toISOString();
  await db.execute(sql`
    with gone as (
      delete from csv_imports i where i.created_at < ${before}::timestamptz
        and not exists (
          select 1 from jobs j
          where j.kind = ${IMPORT_JOB} and j.status in ('queued', 'running')
            and j.params->>'importId' = i.id::text)
      returning id)
    delete from csv_import_rows where import_id in (select id from gone)`);
}

async function insertRows(db: Executor, importId: string, rows: CsvRow[]): Promise<void> {
  if (!rows.length) return;
  const json = rows.map((r) => ({
    l: r.line,
    e: r.email,
    n: r.name,
    r: r.role,
    s: r.status,
    p: r.problems.length ? r.problems : null,
  }));
  await db.execute(sql`
    insert into csv_import_rows (import_id, line, email, name, role, status, problems)
    select ${importId}::uuid, x.l, x.e, x.n, x.r, x.s, x.p
    from jsonb_to_recordset(${jsonRows(json)}) as x(l int, e text, n text, r text, s text, p jsonb)`);
}

/**
 * What becomes of every row, in one UPDATE: a row with problems of its own stays an error; then
 * a repeat of an earlier row's address (case ignored) is one; an address that is a user already
 * is skipped; an invited row past the free seats is an error; the rest are created. Returns how
 * many rows changed between "created" and not (0 on the apply: the plan the preview showed).
 */
async function planRows(
  db: Executor,
  args: { importId: string; roles: readonly UserRole[]; free: number },
): Promise<number> {
  const [row] = await queryRows<{ changed: number }>(
    db,
    sql`with r as (
          select r.line, r.outcome as was, r.problems, r.status, r.role,
            min(r.line) filter (where not coalesce(r.problems @> '[{"column":"email"}]', false))
              over (partition by lower(r.email)) as first_line,
            u.id as user_id, u.status as user_status
          from csv_import_rows r
          left join users u on lower(u.email) = lower(r.email)
          where r.import_id = ${args.importId}::uuid
        ), d as (
          select r.*,
            case
              when r.problems is not null then 'error'
              when r.role <> all(${`{${args.roles.join(",")}}`}::text[]) then 'role'
              when r.first_line < r.line then 'duplicate'
              when r.user_id is not null then 'skip'
              else 'new'
            end as kind
          from r
        ), s as (
          select d.*,
            case when d.kind = 'new' and d.status = 'invited'
              then row_number() over (partition by d.kind = 'new' and d.status = 'invited' order by d.line)
            end as seat
          from d
        ), n as (
          select s.line, s.was,
            case
              when s.kind in ('error', 'role', 'duplicate') then 'error'
              when s.kind = 'skip' then 'skip'
              when s.seat > ${args.free} then 'error'
              else 'create'
            end as outcome,
            case
              when s.kind = 'error' then s.problems
              when s.kind = 'role' then jsonb_build_array(jsonb_build_object(
                'column', 'role', 'problem', 'Not a role you may give now.',
                'fix', 'Choose a role below your own.'))
              when s.kind = 'duplicate' then jsonb_build_array(jsonb_build_object(
                'column', 'email', 'problem', 'Also on line ' || s.first_line || '.',
                'fix', 'Keep one row per address.'))
              when s.kind = 'skip' then jsonb_build_object('userId', s.user_id, 'status', s.user_status)
              when s.seat > ${args.free} then jsonb_build_array(jsonb_build_object(
                'column', 'status', 'problem', 'No seat left for another invited user.',
                'fix', 'Import them as pending, or free seats first.'))
            end as reason
          from s
        ), up as (
          -- Only rows whose plan changed: an unchanged row rewritten is a dead row version that
          -- a job's batches would wade through.
          update csv_import_rows t set outcome = n.outcome, reason = n.reason
          from n where t.import_id = ${args.importId}::uuid and t.line = n.line
            and (t.outcome, t.reason) is distinct from (n.outcome, n.reason)
          returning (n.was = 'create') <> (n.outcome = 'create') as changed
        )
        select count(*) filter (where changed)::int as changed from up`,
  );
  return row?.changed ?? 0;
}

function viewOf(r: {
  line: number;
  email: string;
  name: string;
  role: string;
  status: string;
  outcome: string;
  reason: unknown;
}): ImportRowView {
  const base = { line: r.line, email: r.email, name: r.name, role: r.role, status: r.status };
  if (r.outcome === "skip") {
    const u = r.reason as { userId: string; status: UserStatus };
    const tab = tabOf(u.status);
    return {
      ...base,
      problems: [
        {
          column: "email",
          problem: `Already a user, on the ${TAB_LABELS[tab]} tab.`,
          fix: "Nothing to do: this row is skipped.",
        },
      ],
      user: { id: u.userId, tab },
    };
  }
  return { ...base, problems: r.outcome === "error" ? ((r.reason as RowProblem[]) ?? []) : [] };
}

/** The stored plan of an import, as the dialog shows it: counts, then the first rows of each list. */
export async function readImportPreview(
  db: Executor,
  args: { importId: string; actor: Person; seatLimit: number },
): Promise<ImportPreview | Failure> {
  const [head] = await queryRows<{ file_name: string; rows: number; applied: boolean }>(
    db,
    sql`select file_name, rows, applied_at is not null as applied from csv_imports
        where id = ${args.importId}::uuid and actor_id = ${args.actor.id}::uuid`,
  );
  if (!head || head.applied) return { ok: false, error: IMPORT_MESSAGES.expired };
  const [counts] = await queryRows<{
    invited: number;
    pending: number;
    errors: number;
    skipped: number;
  }>(
    db,
    sql`select count(*) filter (where outcome = 'create' and status = 'invited')::int as invited,
          count(*) filter (where outcome = 'create' and status = 'pending')::int as pending,
          count(*) filter (where outcome = 'error')::int as errors,
          count(*) filter (where outcome = 'skip')::int as skipped
        from csv_import_rows where import_id = ${args.importId}::uuid`,
  );
  const list = (outcome: string) =>
    queryRows<Parameters<typeof viewOf>[0]>(
      db,
      sql`select line, email, name, role, status, outcome, reason from csv_import_rows
          where import_id = ${args.importId}::uuid and outcome = ${outcome}
          order by line limit ${SHOWN}`,
    );
  const [willCreate, errors, skipped] = await Promise.all([
    list("create"),
    list("error"),
    list("skip"),
  ]);
  const invited = counts?.invited ?? 0;
  return {
    ok: true,
    importId: args.importId,
    fileName: head.file_name,
    rows: head.rows,
    create: { invited, pending: counts?.pending ?? 0 },
    willCreate: willCreate.map(viewOf),
    errorCount: counts?.errors ?? 0,
    errors: errors.map(viewOf),
    skippedCount: counts?.skipped ?? 0,
    skipped: skipped.map(viewOf),
    seats: { needed: invited, free: Math.max(0, args.seatLimit - (await seatsUsed(db))) },
  };
}

/**
 * Reads the file (as it streams in) into a new import and plans it: nothing else changes. A file
 * that can't be read as a whole (CsvFileError) leaves nothing behind and says why.
 */
export async function previewImport(
  db: Db,
  args: {
    actor: Person;
    fileName: string;
    source: CsvSource;
    seatLimit: number;
    now?: Date;
  },
): Promise<ImportPreview | Failure> {
  const now = args.now ?? new Date();
  await deleteExpired(db, now);
  const [created] = await queryRows<{ id: string }>(
    db,
    sql`insert into csv_imports (actor_id, file_name, created_at)
        values (${args.actor.id}::uuid, ${args.fileName.slice(0, 200)}, ${now.toISOString()}::timestamptz)
        returning id`,
  );
  if (!created) throw new Error("csv_imports: no row returned");
  const importId = created.id;
  let rows = 0;
  try {
    let batch: CsvRow[] = [];
    for await (const row of readCsvRows(args.source, args.actor.role)) {
      batch.push(row);
      rows++;
      if (batch.length === BATCH) {
        await insertRows(db, importId, batch);
        batch = [];
      }
    }
    await insertRows(db, importId, batch);
  } catch (error) {
    await discardImport(db, importId);
    if (error instanceof CsvFileError) return { ok: false, error: error.message };
    throw error;
  }
  await db.execute(sql`update csv_imports set rows = ${rows} where id = ${importId}::uuid`);
  const free = Math.max(0, args.seatLimit - (await seatsUsed(db)));
  await planRows(db, { importId, roles: rolesBelow(args.actor.role), free });
  return readImportPreview(db, { importId, actor: args.actor, seatLimit: args.seatLimit });
}

async function discardImport(db: Executor, importId: string): Promise<void> {
  await db.execute(sql`delete from csv_import_rows where import_id = ${importId}::uuid`);
  await db.execute(sql`delete from csv_imports where id = ${importId}::uuid`);
}

export type ImportResult =
  | {
      ok: true;
      done: number;
      invited: number;
      pending: number;
      skipped: number;
      errors: number;
      /** A large import runs as a job: its id, and how many rows it will create. */
      job?: { id: string; total: number };
    }
  | Failure;

/**
 * "Import": in one transaction, the seat lock, the plan again (a row that would now be created
 * or not, unlike the preview, applies nothing: the dialog shows the new plan), then the planned
 * rows created (createRows) and the import's rows deleted (it can't be applied twice). More than
 * IMPORT_JOB_ROWS to create: the import is frozen as it was previewed and a job creates them
 * in batches (new-users-job.ts), with a progress bar above the table.
 */
export async function applyImport(
  db: Db,
  args: {
    actor: Person;
    importId: string;
    seatLimit: number;
    now?: Date;
    requestId?: string | null;
    baseUrl?: string;
    /** Above this many rows to create, a job (tests lower it). */
    jobAbove?: number;
  },
): Promise<ImportResult> {
  const now = args.now ?? new Date();
  const at = now.toISOString();
  const expiredBefore = new Date(now.getTime() - IMPORT_TTL_MS).toISOString();
  return db.transaction(async (tx) => {
    const free = await freeSeats(tx, args.seatLimit);
    const [head] = await queryRows<{ id: string }>(
      tx,
      sql`select id from csv_imports
          where id = ${args.importId}::uuid and actor_id = ${args.actor.id}::uuid
            and applied_at is null and created_at >= ${expiredBefore}::timestamptz
          for update`,
    );
    if (!head) return { ok: false as const, error: IMPORT_MESSAGES.expired };
    const changed = await planRows(tx, {
      importId: args.importId,
      roles: rolesBelow(args.actor.role),
      free,
    });
    if (changed > 0) return { ok: false as const, conflict: true, error: PLAN_CHANGED };
    const [counts] = await queryRows<{ planned: number; errors: number; skipped: number }>(
      tx,
      sql`select count(*) filter (where outcome = 'create')::int as planned,
            count(*) filter (where outcome = 'error')::int as errors,
            count(*) filter (where outcome = 'skip')::int as skipped
          from csv_import_rows where import_id = ${args.importId}::uuid`,
    );
    const planned = counts?.planned ?? 0;
    const errors = counts?.errors ?? 0;
    const skipped = counts?.skipped ?? 0;
    if (planned > (args.jobAbove ?? IMPORT_JOB_ROWS)) {
      // Frozen: the job creates these rows and no others; the import can't be confirmed again.
      await tx.execute(sql`
        delete from csv_import_rows where import_id = ${args.importId}::uuid and outcome <> 'create'`);
      await tx.execute(
        sql`update csv_imports set applied_at = ${at}::timestamptz where id = ${args.importId}::uuid`,
      );
      const job = await startNewUsersJob(tx, {
        action: IMPORT_JOB,
        importId: args.importId,
        actorId: args.actor.id,
        total: planned,
        at,
        requestId: args.requestId ?? null,
        baseUrl: args.baseUrl ?? null,
      });
      return {
        ok: true as const,
        done: 0,
        invited: 0,
        pending: 0,
        skipped,
        errors,
        job: { id: job.id, total: planned },
      };
    }
    const made = await createRows(tx, {
      importId: args.importId,
      action: IMPORT_JOB,
      actorId: args.actor.id,
      at,
      requestId: args.requestId ?? null,
      jobId: null,
      afterLine: 0,
      limit: null,
      free: null,
      roles: null,
      now,
      baseUrl: args.baseUrl,
    });
    await finishImport(tx, args.importId, at);
    return {
      ok: true as const,
      done: made.created,
      invited: made.invited,
      pending: made.created - made.invited,
      skipped: skipped + made.taken,
      errors,
    };
  });
}
