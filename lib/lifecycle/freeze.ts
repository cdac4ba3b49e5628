import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { type Executor, queryRows } from "@/db/client";
import type { UserRole, UserStatus } from "@/db/schema";
import { type JobPlan, LIFECYCLE_JOB } from "@/lib/jobs/queries";
import { wakeJobRunner } from "@/lib/jobs/runner";
import { LIFECYCLE, type Verb } from "@/lib/users/lifecycle";
import { changesSql, USERS_COLUMNS } from "@/lib/users/plan-sql";
import { previewInSql } from "@/lib/users/preview-sql";
import { transferRefusal } from "@/lib/users/refusals";
import type { SelectionSource } from "@/lib/users/selection-sql";
import type { ParsedVerbInput, SkipCode, VerbResult } from "@/lib/users/verb-types";
import type { Person } from "@/model/permissions";

/** What a lifecycle job needs to apply each batch as the admin who confirmed it. */
export type LifecycleJobParams = {
  action: Verb;
  actor: Person;
  /** The options, less the reason: free text stays out of the job (see `reasonId`). */
  input: Omit<ParsedVerbInput, "selection" | "reason" | "expectedSet">;
  /** The reason, kept in the audit's redactable store (audit_reason_keep) for every batch. */
  reasonId: number | null;
  seatLimit: number;
  requestId: string | null;
  baseUrl: string | null;
  /** What the confirmation said; absent in jobs started before it was kept. */
  planned?: JobPlan;
};

/** A job's parameters before its reason is kept (freezeJob keeps it and adds its id). */
export type JobParamsToFreeze = Omit<LifecycleJobParams, "reasonId">;

/**
 * Confirming a large selection: the checks that would refuse every batch run first (new owner,
 * seats), then the selection is frozen into `job_items` in one INSERT … SELECT, each user with the
 * status it was seen in. Batches re-check each one against it.
 *
 * The items follow the rows' places in the table (ctid), not their ids: ids are random, so a batch
 * of 1,000 in id order touched ~1,000 table pages, and each page came back in several batches,
 * after a checkpoint each time with a full-page image in the WAL. In table order a batch touches
 * a few hundred pages, once (the job's WAL shrank by about a third: bench/RESULTS.md, "Where the
 * 1.72 × went"). Each batch still locks its own users in id order (the lock order of every
 * action), so batches and single actions keep the same deadlock-free protocol.
 */
export async function startLifecycleJob(
  db: Executor,
  args: {
    actor: Person;
    action: Verb;
    input: ParsedVerbInput;
    seatLimit: number;
    now: Date;
    requestId?: string | null;
    baseUrl?: string;
    source: SelectionSource;
    total: number;
  },
): Promise<VerbResult> {
  const { actor, action, input } = args;
  const rule = LIFECYCLE[action];
  // The confirmation's counts, again: the job's card says the same (who changes, who is
  // skipped and why). Actions that need seats or a new owner are refused here for the whole
  // selection.
  const preview = await previewInSql(db, {
    actor,
    action,
    selection: input.selection,
    options: input.options,
    limit: 1,
    seatLimit: args.seatLimit,
    deniedMessage: "You don't have permission to do that.",
  });
  if (!preview.ok) return preview;
  if (rule.needsSeat || rule.needsTransfer) {
    if (preview.blocked) return { ok: false, error: preview.blocked };
    if (rule.needsTransfer && (preview.ownershipTotals?.owners ?? 0) > 0) {
      const refusal = await newOwnerRefusal(db, {
        newOwnerId: input.newOwnerId,
        verb: rule.verb,
        owners: preview.ownershipTotals?.owners ?? 0,
        source: args.source,
        actor,
        action,
      });
      if (refusal) return { ok: false, error: refusal };
    }
  }
  const id = randomUUID();
  const { selection: _selection, reason, expectedSet: _seen, ...options } = input;
  const params: JobParamsToFreeze = {
    action,
    actor: { id: actor.id, role: actor.role },
    input: { ...options, onConflict: "skip" },
    seatLimit: args.seatLimit,
    requestId: args.requestId ?? null,
    baseUrl: args.baseUrl ?? null,
    planned: {
      changes: preview.willChangeCount,
      skipped: preview.skippedCount,
      skippedByReason: preview.skippedByReason ?? {},
    },
  };
  const total = await freezeJob(db, {
    id,
    actorId: actor.id,
    params,
    reason,
    source: args.source,
    now: args.now,
  });
  wakeJobRunner();
  return {
    ok: true,
    action,
    done: 0,
    changed: [],
    skipped: [],
    skippedCount: 0,
    job: { id, total },
  };
}

/**
 * Writes a queued lifecycle job and freezes its selection into `job_items` (see
 * startLifecycleJob), in one transaction. `skippedByReason`: users the job counts as skipped
 * from the start (an Undo's "changed since"). Returns how many users were frozen.
 */
export async function freezeJob(
  db: Executor,
  args: {
    id: string;
    actorId: string;
    params: JobParamsToFreeze;
    /** Kept in the audit's redactable store (audit_reason_keep); the job holds its id. */
    reason?: string;
    source: SelectionSource;
    now: Date;
    skippedByReason?: Partial<Record<SkipCode, number>>;
  },
): Promise<number> {
  const { id, now } = args;
  const skipped = Object.values(args.skippedByReason ?? {}).reduce((a, n) => a + (n ?? 0), 0);
  return db.transaction(async (tx) => {
    const [kept] = args.reason
      ? await queryRows<{ id: string }>(tx, sql`select audit_reason_keep(${args.reason}) as id`)
      : [];
    const params: LifecycleJobParams = { ...args.params, reasonId: kept ? Number(kept.id) : null };
    await tx.execute(sql`
      insert into jobs (id, kind, status, actor_id, params, skipped, skipped_by_reason, created_at, updated_at)
      values (${id}::uuid, ${LIFECYCLE_JOB}, 'queued', ${args.actorId}::uuid, ${JSON.stringify(params)}::jsonb,
        ${skipped}::int, ${JSON.stringify(args.skippedByReason ?? {})}::jsonb,
        ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz)`);
    const [row] = await queryRows<{ n: number }>(
      tx,
      sql`with frozen as (
            insert into job_items (job_id, seq, user_id, seen_status)
            select ${id}::uuid, row_number() over (order by "users".ctid), "users"."id", "users"."status"
            from users where ${args.source.where}
            returning 1
          )
          select count(*)::int as n from frozen`,
    );
    const n = Number(row?.n ?? 0);
    await tx.execute(sql`update jobs set total = ${n}::int where id = ${id}::uuid`);
    return n;
  });
}

/**
 * `transferRefusal`, checked once for the whole frozen selection. Like the owner search, only a
 * user the action CHANGES can't take the records: an admin in the selection whom the actor may
 * not change (rank) is skipped by every batch, and may be the new owner.
 */
async function newOwnerRefusal(
  db: Executor,
  args: {
    newOwnerId: string | undefined;
    verb: string;
    owners: number;
    source: SelectionSource;
    actor: Person;
    action: Verb;
  },
): Promise<string | null> {
  const { newOwnerId } = args;
  const [row] =
    newOwnerId === undefined
      ? []
      : await queryRows<{ id: string; role: UserRole; status: UserStatus; changing: boolean }>(
          db,
          sql`select id, role, status,
                coalesce(${args.source.where} and ${changesSql(args.actor, args.action, USERS_COLUMNS)}, false) as changing
              from users where "users"."id" = ${newOwnerId}::uuid`,
        );
  return transferRefusal({
    ownersCount: args.owners,
    newOwnerId,
    newOwner: row ? { id: row.id, role: row.role, status: row.status } : null,
    changingIds: new Set(row?.changing ? [row.id] : []),
    verb: args.verb,
  });
}
