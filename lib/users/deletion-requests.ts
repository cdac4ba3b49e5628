import { sql } from "drizzle-orm";
import { type Db, type Executor, queryRows } from "@/db/client";
import { isUuid } from "@/db/sql";
import { can, type Person, type SystemPerson } from "@/model/permissions";
import type { SelectionSource } from "./selection-sql";
import { applySource, type SourceArgs, type TransitionHooks } from "./transitions";
import type { VerbResult } from "./verb-types";

/*
 * Four-eyes delete (issue 17 §7). With "Require a second admin to delete" on (/settings,
 * "Deletion approval"), a person's Delete permanently runs the pipeline's checks (permission,
 * rank, status, conflicts, the new owner of records) and, instead of deleting, keeps the exact
 * users it would delete and the new owner as a request. Another admin or the owner approves it
 * (the delete then runs through the pipeline as them, every rule checked again) or declines it;
 * the requester can't do either. Pending requests expire after DELETION_REQUEST_DAYS, swept by
 * the policy scheduler's tick as EXPIRY_ACTOR. Every step is audited, one event per target, in
 * the step's transaction.
 */

export const DELETION_REQUEST_DAYS = 7;
/** The Requests page lists the oldest this many; it says so when more wait. */
export const REQUESTS_SHOWN = 200;
const DAY_MS = 86_400_000;
const EXPIRY_ACTOR: SystemPerson = { system: "Policy: deletion requests" };

export const REQUEST_REFUSALS = {
  denied: "You don't have permission to approve or decline deletion requests.",
  notFound: "That deletion request doesn't exist. Nothing was changed.",
  own: "You requested this deletion: another admin or the owner must approve or decline it. Nothing was changed.",
  approved: "This deletion request was already approved. Nothing was changed.",
  declined: "This deletion request was already declined. Nothing was changed.",
  expired: "This deletion request expired: request the deletion again. Nothing was changed.",
} as const;

type AuditArgs = {
  id: string;
  action: "deletion-requested" | "deletion-approved" | "deletion-declined" | "deletion-expired";
  actorId: string | null;
  at: Date;
  reason: string | null;
  requestId: string | null;
  requestedBy?: string | null;
};

/** One event per target of the request, naming the request (and, once decided, its requester). */
async function auditTargets(tx: Executor, a: AuditArgs): Promise<void> {
  const payload = {
    deletionRequest: a.id,
    ...(a.requestedBy !== undefined ? { requestedBy: a.requestedBy } : {}),
  };
  await tx.execute(sql`
    insert into audit_events (at, actor_id, action, target_id, records_moved, reason, request_id)
    select ${a.at.toISOString()}::timestamptz, ${a.actorId}::uuid, ${a.action}, t.user_id,
      ${JSON.stringify(payload)}::jsonb, ${a.reason}, ${a.requestId}
    from deletion_request_targets t where t.request_id = ${a.id}::uuid
    order by t.user_id`);
}

/**
 * The pipeline's checks for a person's delete, then a request of the users it would delete
 * (the caller's transaction): the answer says how many it names, and who was skipped, and why.
 */
export async function requestDeletion(
  tx: Executor,
  source: SelectionSource,
  args: SourceArgs & { actor: Person },
): Promise<VerbResult> {
  return applySource(tx, source, {
    ...args,
    instead: async (plan) => {
      const expires = new Date(args.now.getTime() + DELETION_REQUEST_DAYS * DAY_MS);
      const [request] = await queryRows<{ id: string }>(
        tx,
        sql`insert into deletion_requests (requested_by, new_owner_id, reason, target_count, created_at, expires_at)
            values (${args.actor.id}::uuid, ${plan.newOwnerId}::uuid, ${args.input.reason || null},
              ${plan.result.done}::int, ${args.now.toISOString()}::timestamptz, ${expires.toISOString()}::timestamptz)
            returning id`,
      );
      if (!request) throw new Error("requestDeletion: no request");
      await tx.execute(sql`
        insert into deletion_request_targets (request_id, user_id)
        select ${request.id}::uuid, id from (${plan.changing}) c`);
      await auditTargets(tx, {
        id: request.id,
        action: "deletion-requested",
        actorId: args.actor.id,
        at: args.now,
        reason: args.input.reason || null,
        requestId: args.requestId ?? null,
      });
      return {
        ...plan.result,
        done: 0,
        changed: [],
        requested: { id: request.id, count: plan.result.done },
      };
    },
  });
}

type RequestRow = {
  id: string;
  requested_by: string | null;
  new_owner_id: string | null;
  reason: string | null;
  status: "pending" | "approved" | "declined" | "expired";
  expires_at: string | Date;
};

type DecideArgs = {
  actor: Person;
  id: string;
  now: Date;
  requestId?: string | null;
};

/**
 * The request, locked, if this person may decide it now: it is pending and unexpired, they are
 * an active user allowed to delete (as the database says now), and they didn't request it.
 */
async function lockForDecision(
  tx: Executor,
  a: DecideArgs,
): Promise<{ ok: true; request: RequestRow } | { ok: false; error: string }> {
  if (!isUuid(a.id)) return { ok: false, error: REQUEST_REFUSALS.notFound };
  // The actor's rights as the database has them now (read, not locked: the pipeline locks users
  // in id order, and a lock taken here first could deadlock with another approval's).
  const [me] = await queryRows<{ role: Person["role"]; status: string }>(
    tx,
    sql`select role, status from users where id = ${a.actor.id}::uuid`,
  );
  if (me?.status !== "active" || !can(me.role, "users.delete")) {
    return { ok: false, error: REQUEST_REFUSALS.denied };
  }
  // Two approvals at once: the second waits here, before any user lock, then finds it decided.
  const [request] = await queryRows<RequestRow>(
    tx,
    sql`select id, requested_by, new_owner_id, reason, status, expires_at
        from deletion_requests where id = ${a.id}::uuid for update`,
  );
  if (!request) return { ok: false, error: REQUEST_REFUSALS.notFound };
  if (request.status !== "pending") return { ok: false, error: REQUEST_REFUSALS[request.status] };
  if (new Date(request.expires_at).getTime() <= a.now.getTime()) {
    return { ok: false, error: REQUEST_REFUSALS.expired };
  }
  if (request.requested_by === a.actor.id) return { ok: false, error: REQUEST_REFUSALS.own };
  return { ok: true, request };
}

async function markDecided(
  tx: Executor,
  a: DecideArgs,
  status: "approved" | "declined",
): Promise<void> {
  await tx.execute(sql`
    update deletion_requests set status = ${status}, decided_by = ${a.actor.id}::uuid,
      decided_at = ${a.now.toISOString()}::timestamptz
    where id = ${a.id}::uuid`);
}

/**
 * "Approve request": the delete of the request's users through the pipeline as the approver,
 * with the new owner chosen when it was requested; refused (nothing changed) when it can't run.
 */
export async function approveDeletionRequest(
  db: Db,
  a: DecideArgs & { seatLimit: number; baseUrl?: string; hooks?: TransitionHooks },
): Promise<VerbResult> {
  try {
    return await db.transaction(async (tx): Promise<VerbResult> => {
      const locked = await lockForDecision(tx, a);
      if (!locked.ok) return locked;
      const { request } = locked;
      // The approve events come first: they name the users before the delete erases them.
      await auditTargets(tx, {
        id: request.id,
        action: "deletion-approved",
        actorId: a.actor.id,
        at: a.now,
        reason: request.reason,
        requestId: a.requestId ?? null,
        requestedBy: request.requested_by,
      });
      const result = await applySource(
        tx,
        {
          where: sql`"users"."id" = any(array(select t.user_id from deletion_request_targets t
          where t.request_id = ${request.id}::uuid))`,
          expected: null,
          missing: null,
        },
        {
          actor: a.actor,
          action: "delete",
          input: {
            options: { confirm: "DELETE" },
            onConflict: "skip",
            ...(request.new_owner_id ? { newOwnerId: request.new_owner_id } : {}),
            ...(request.reason ? { reason: request.reason } : {}),
          },
          seatLimit: a.seatLimit,
          now: a.now,
          requestId: a.requestId ?? null,
          baseUrl: a.baseUrl,
          hooks: a.hooks,
          jobId: null,
        },
      );
      // Refused (e.g. the new owner can't take records any more): the approve events go too.
      if (!result.ok) throw new Refused(result);
      await markDecided(tx, a, "approved");
      return result;
    });
  } catch (e) {
    if (e instanceof Refused) return e.result;
    throw e;
  }
}

/** A refusal that rolls its transaction back, carried out of it as the answer. */
class Refused extends Error {
  constructor(readonly result: VerbResult) {
    super("refused");
  }
}

/** "Decline request": nothing is deleted; the request is closed and audited. */
export async function declineDeletionRequest(
  db: Db,
  a: DecideArgs,
): Promise<{ ok: true } | { ok: false; error: string }> {
  return db.transaction(async (tx) => {
    const locked = await lockForDecision(tx, a);
    if (!locked.ok) return locked;
    await markDecided(tx, a, "declined");
    await auditTargets(tx, {
      id: a.id,
      action: "deletion-declined",
      actorId: a.actor.id,
      at: a.now,
      reason: null,
      requestId: a.requestId ?? null,
      requestedBy: locked.request.requested_by,
    });
    return { ok: true as const };
  });
}

/**
 * Closes every pending request past its time, audited as EXPIRY_ACTOR. Exactly once however
 * many instances sweep at once: the update takes each row only while it is still pending.
 */
export async function expireDeletionRequests(db: Db, now = new Date()): Promise<number> {
  return db.transaction(async (tx) => {
    const expired = await queryRows<{ id: string }>(
      tx,
      sql`update deletion_requests set status = 'expired', decided_at = ${now.toISOString()}::timestamptz
          where status = 'pending' and expires_at <= ${now.toISOString()}::timestamptz
          returning id`,
    );
    for (const r of expired) {
      await auditTargets(tx, {
        id: r.id,
        action: "deletion-expired",
        actorId: null,
        at: now,
        reason: EXPIRY_ACTOR.system,
        requestId: null,
      });
    }
    return expired.length;
  });
}

/** How many requests wait for a decision (the nav's badge): the partial index's few rows. */
export async function pendingDeletionRequests(db: Executor, now = new Date()): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from deletion_requests
        where status = 'pending' and expires_at > ${now.toISOString()}::timestamptz`,
  );
  return Number(row?.n ?? 0);
}

/** The most target names a request shows on the Requests page (the count is exact). */
const NAMES_SHOWN = 5;

export type DeletionRequestView = {
  id: string;
  requestedBy: { id: string; name: string } | null;
  newOwner: string | null;
  reason: string | null;
  targetCount: number;
  targets: string[];
  createdAt: string;
  expiresAt: string;
};

/** The pending requests, oldest first, each with its first target names. */
export async function listPendingDeletionRequests(
  db: Executor,
  now = new Date(),
): Promise<DeletionRequestView[]> {
  const rows = await queryRows<{
    id: string;
    requested_by: string | null;
    requester: string | null;
    new_owner: string | null;
    reason: string | null;
    target_count: number;
    targets: string[] | null;
    created_at: string | Date;
    expires_at: string | Date;
  }>(
    db,
    sql`select r.id, r.requested_by, q.name as requester, o.name as new_owner, r.reason,
          r.target_count, r.created_at, r.expires_at,
          array(select u.name from deletion_request_targets t join users u on u.id = t.user_id
                where t.request_id = r.id order by u.name, u.id limit ${NAMES_SHOWN}) as targets
        from deletion_requests r
        left join users q on q.id = r.requested_by
        left join users o on o.id = r.new_owner_id
        where r.status = 'pending' and r.expires_at > ${now.toISOString()}::timestamptz
        order by r.created_at, r.id
        limit ${REQUESTS_SHOWN}`,
  );
  return rows.map((r) => ({
    id: r.id,
    requestedBy: r.requested_by ? { id: r.requested_by, name: r.requester ?? "A user" } : null,
    newOwner: r.new_owner,
    reason: r.reason,
    targetCount: r.target_count,
    targets: r.targets ?? [],
    createdAt: new Date(r.created_at).toISOString(),
    expiresAt: new Date(r.expires_at).toISOString(),
  }));
}
