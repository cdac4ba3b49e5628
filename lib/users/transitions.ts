import { sql } from "drizzle-orm";
import { type Executor, queryRows } from "@/db/client";
import { jobThreshold } from "@/lib/jobs/config";
import { startLifecycleJob } from "@/lib/jobs/freeze";
import type { ActionResult, ParsedActionInput, PreviewResult } from "./action-types";
import {
  changedIds,
  lockAndPlan,
  ownersInPlan,
  plannedOwner,
  planResult,
  planTotals,
  writePlan,
} from "./apply-sql";
import { createInvitations, queueNotices } from "./invitations";
import { LIFECYCLE, type LifecycleAction } from "./lifecycle";
import { can, type Person } from "./permissions";
import { conflictMessage, seatRefusal, transferRefusal } from "./preview";
import { type PreviewArgs, previewInSql } from "./preview-sql";
import { freeSeats, lockSeats } from "./seats";
import { type SelectionSource, selectionSource } from "./selection-sql";
import { isUuid } from "./sql";

export type { PreviewArgs };

const PERMISSION_PHRASES: Record<LifecycleAction, string> = {
  deactivate: "deactivate users",
  reactivate: "reactivate users",
  reinvite: "re-invite users",
  archive: "archive users",
  restore: "restore users",
  approve: "approve users",
  reject: "reject users",
  delete: "permanently delete users",
};

export function permissionError(action: LifecycleAction): string {
  return `You don't have permission to ${PERMISSION_PHRASES[action]}.`;
}

export const DELETE_CONFIRMATION = "DELETE";
export const DELETE_NOT_CONFIRMED = `Type ${DELETE_CONFIRMATION} to confirm: nothing was deleted.`;

/** Test seams: throw from one of these to prove the transaction leaves nothing behind. */
export type TransitionHooks = {
  afterLock?: () => unknown;
  afterTransfer?: () => unknown;
  afterStatus?: () => unknown;
};

export type ApplyArgs = {
  actor: Person;
  action: LifecycleAction;
  input: ParsedActionInput;
  /** The workspace's seat limit (settings().seats in the app). */
  seatLimit: number;
  now?: Date;
  requestId?: string | null;
  /** Origin for links in emails (invitations). */
  baseUrl?: string;
  hooks?: TransitionHooks;
};

/**
 * Applies one lifecycle action to a whole selection in ONE transaction, set-based: lock the
 * targets, re-check each one, check seats and the new owner, move records, change every status
 * in one statement, write every audit event in one statement. Either all of it happens or none.
 * Refusals (seats, new owner, typed confirmation, conflicts with onConflict "abort") change nothing.
 * A filter selection larger than the job threshold is frozen into a background job instead
 * (lib/jobs): the answer then names the job.
 */
export async function applyLifecycleAction(db: Executor, args: ApplyArgs): Promise<ActionResult> {
  const { actor, action, input } = args;
  const rule = LIFECYCLE[action];
  if (!can(actor.role, rule.permission)) return { ok: false, error: permissionError(action) };
  if (action === "delete" && input.confirm?.trim() !== DELETE_CONFIRMATION) {
    return { ok: false, error: DELETE_NOT_CONFIRMED };
  }
  const now = args.now ?? new Date();
  const source = selectionSource(input.selection);
  if (input.selection.kind === "filter") {
    const total = await countSelection(db, source);
    if (total > jobThreshold()) {
      return startLifecycleJob(db, { ...args, now, source, total });
    }
  }
  return db.transaction((tx) =>
    applySource(tx, source, {
      ...args,
      now,
      jobId: null,
    }),
  );
}

/** How many users a selection names now (no locks). */
export async function countSelection(db: Executor, source: SelectionSource): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from users where ${source.where}`,
  );
  return Number(row?.n ?? 0);
}

export type SourceArgs = Omit<ApplyArgs, "now" | "input"> & {
  /** The options of the action (the selection is the source). */
  input: Omit<ParsedActionInput, "selection" | "confirm">;
  now: Date;
  jobId: string | null;
};

/**
 * The pipeline on one set of users, inside the caller's transaction: the whole of a small
 * action, or one batch of a job.
 */
export async function applySource(
  tx: Executor,
  source: SelectionSource,
  args: SourceArgs,
): Promise<ActionResult> {
  const { actor, action, input } = args;
  const rule = LIFECYCLE[action];
  // The seat lock comes before any row lock (see seats.ts): two seat-using changes queue here.
  if (rule.needsSeat) await lockSeats(tx);
  const ownerId =
    rule.needsTransfer && input.newOwnerId !== undefined && isUuid(input.newOwnerId)
      ? input.newOwnerId
      : null;
  await lockAndPlan(tx, source, {
    actor,
    action,
    sendInvitation: input.sendInvitation,
    newOwnerId: ownerId,
  });
  await args.hooks?.afterLock?.();
  const totals = await planTotals(tx, source);
  const conflicts = totals.byReason.conflict ?? 0;
  if (conflicts > 0 && input.onConflict === "abort") {
    return { ok: false, conflict: true, error: conflictMessage(conflicts) };
  }
  if (totals.done === 0) return planResult(tx, action, source, totals);

  if (totals.seatsNeeded > 0) {
    const refusal = seatRefusal(totals.seatsNeeded, await freeSeats(tx, args.seatLimit));
    if (refusal) return { ok: false, error: refusal };
  }

  let movesTo: string | null = null;
  if (rule.needsTransfer) {
    const owners = await ownersInPlan(tx);
    const planned = ownerId ? await plannedOwner(tx, ownerId) : null;
    const error = transferRefusal({
      ownersCount: owners,
      newOwnerId: input.newOwnerId,
      newOwner: planned ? { id: planned.id, role: planned.role, status: planned.status } : null,
      changingIds: new Set(planned?.changing ? [planned.id] : []),
      verb: rule.verb,
    });
    if (error) return { ok: false, error };
    if (owners > 0) movesTo = ownerId;
  }

  await writePlan(tx, {
    action,
    actorId: actor.id,
    now: args.now,
    reason: input.reason || null,
    requestId: args.requestId ?? null,
    jobId: args.jobId,
    newOwnerId: movesTo,
    hooks: args.hooks,
  });
  await sendEmails(tx, { action, input, actorId: actor.id, now: args.now, baseUrl: args.baseUrl });
  return planResult(tx, action, source, totals);
}

async function sendEmails(
  tx: Executor,
  args: {
    action: LifecycleAction;
    input: Pick<ParsedActionInput, "sendInvitation" | "notify">;
    actorId: string;
    now: Date;
    baseUrl: string | undefined;
  },
): Promise<void> {
  const { action, input } = args;
  const baseUrl = args.baseUrl ?? "http://localhost:3000";
  const invites = action === "reinvite" || (action === "restore" && input.sendInvitation);
  const notice = !input.notify
    ? null
    : action === "deactivate"
      ? "deactivated"
      : action === "restore"
        ? "restored"
        : null;
  if (!invites && !notice) return;
  const ids = await changedIds(tx);
  if (ids.length === 0) return;
  if (invites) {
    await createInvitations(tx, { userIds: ids, createdBy: args.actorId, baseUrl, now: args.now });
    // Restored users who get an invitation need no second email.
    return;
  }
  if (notice) await queueNotices(tx, { userIds: ids, kind: notice, baseUrl });
}

/** What the confirmation dialog shows: the same plan the apply step runs, without locks or writes. */
export function previewLifecycleAction(db: Executor, args: PreviewArgs): Promise<PreviewResult> {
  return previewInSql(db, { ...args, deniedMessage: permissionError(args.action) });
}
