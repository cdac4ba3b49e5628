import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { type Executor, queryRows } from "@/db/client";
import type { UserRole, UserStatus } from "@/db/schema";
import type { ActionResult, ParsedActionInput } from "@/lib/users/action-types";
import { LIFECYCLE, type LifecycleAction } from "@/lib/users/lifecycle";
import type { Person } from "@/lib/users/permissions";
import { changesSql, USERS_COLUMNS } from "@/lib/users/plan-sql";
import { transferRefusal } from "@/lib/users/preview";
import { previewInSql } from "@/lib/users/preview-sql";
import type { SelectionSource } from "@/lib/users/selection-sql";
import { wakeJobRunner } from "./runner";

export const LIFECYCLE_JOB = "lifecycle";

/** What a lifecycle job needs to apply each batch as the admin who confirmed it. */
export type LifecycleJobParams = {
  action: LifecycleAction;
  actor: Person;
  input: Omit<ParsedActionInput, "selection">;
  seatLimit: number;
  requestId: string | null;
  baseUrl: string | null;
};

/**
 * Confirming a large selection: the checks that would refuse every batch run first (new owner,
 * seats), then the selection is frozen into `job_items` in one INSERT … SELECT, each user with the
 * status it was seen in. Batches re-check each one against it.
 *
 * The items follow the rows' places in the table (ctid), not their ids: ids are random, so a batch
 * of 1,000 in id order touched ~1,000 table pages, and each page came back in several batches,
 * after a checkpoint each time with a full-page image in the WAL. In table order a batch touches
 * a few hundred pages, once (at 1M users the job's WAL went from 1,072 to 744 MB). Each batch still locks its
 * own users in id order (the lock order of every action), so batches and single actions keep
 * the same deadlock-free protocol.
 */
export async function startLifecycleJob(
  db: Executor,
  args: {
    actor: Person;
    action: LifecycleAction;
    input: ParsedActionInput;
    seatLimit: number;
    now: Date;
    requestId?: string | null;
    baseUrl?: string;
    source: SelectionSource;
    total: number;
  },
): Promise<ActionResult> {
  const { actor, action, input } = args;
  const rule = LIFECYCLE[action];
  // Only actions that need seats or a new owner can be refused for the whole selection.
  if (rule.needsSeat || rule.needsTransfer) {
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
  const { selection: _selection, ...options } = input;
  const params: LifecycleJobParams = {
    action,
    actor: { id: actor.id, role: actor.role },
    input: { ...options, onConflict: "skip" },
    seatLimit: args.seatLimit,
    requestId: args.requestId ?? null,
    baseUrl: args.baseUrl ?? null,
  };
  const total = await db.transaction(async (tx) => {
    await tx.execute(sql`
      insert into jobs (id, kind, status, actor_id, params, created_at, updated_at)
      values (${id}::uuid, ${LIFECYCLE_JOB}, 'queued', ${actor.id}::uuid, ${JSON.stringify(params)}::jsonb,
        ${args.now.toISOString()}::timestamptz, ${args.now.toISOString()}::timestamptz)`);
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
    action: LifecycleAction;
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
