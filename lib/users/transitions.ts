import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { type Executor, queryRows } from "@/db/client";
import { jobThreshold } from "@/lib/jobs/config";
import { startLifecycleJob } from "@/lib/jobs/freeze";
import type { ActionResult, ParsedActionInput, PreviewResult } from "./action-types";
import { type ActionOptions, definition } from "./actions";
import type { Effects } from "./actions/define";
import { optionsSchema } from "./actions/options";
import {
  lockAndPlan,
  ownersInPlan,
  plannedChanges,
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
import { returnRecords } from "./record-transfers";
import { freeSeats, lockSeats } from "./seats";
import { type SelectionSource, selectionSource } from "./selection-sql";
import { isUuid } from "./sql";

export type { PreviewArgs };

export function permissionError(action: LifecycleAction): string {
  return definition(action).wording.denied;
}

export { DELETE_NOT_CONFIRMED } from "./actions/delete";

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
  // The action's own options, checked here too: the domain is called by more than the server action.
  const parsedOptions = optionsSchema(action).safeParse(input.options);
  if (!parsedOptions.success) {
    return {
      ok: false,
      error: parsedOptions.error.issues[0]?.message ?? "Those options aren't valid.",
    };
  }
  const options = parsedOptions.data as ActionOptions;
  const now = args.now ?? new Date();
  const source = selectionSource(input.selection);
  if (input.selection.kind === "filter") {
    const total = await countSelection(db, source);
    if (total > jobThreshold()) {
      return startLifecycleJob(db, { ...args, input: { ...input, options }, now, source, total });
    }
  }
  return db.transaction((tx) =>
    applySource(tx, source, {
      ...args,
      input: { ...input, options },
      now,
      jobId: null,
    }),
  );
}

/** How many users a selection names now (no locks). */
async function countSelection(db: Executor, source: SelectionSource): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from users where ${source.where}`,
  );
  return Number(row?.n ?? 0);
}

export type SourceArgs = Omit<ApplyArgs, "now" | "input"> & {
  /** The options of the action (the selection is the source). */
  input: Omit<ParsedActionInput, "selection">;
  now: Date;
  jobId: string | null;
  /** A job's batch: the answer carries counts only (a job keeps totals, not names). */
  countsOnly?: boolean;
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
  const options = input.options;
  await lockAndPlan(tx, source, { actor, action, options, newOwnerId: ownerId });
  await args.hooks?.afterLock?.();
  const totals = await planTotals(tx, source);
  const conflicts = totals.byReason.conflict ?? 0;
  if (conflicts > 0 && input.onConflict === "abort") {
    return { ok: false, conflict: true, error: conflictMessage(conflicts) };
  }
  const answer = { countsOnly: args.countsOnly };
  if (totals.done === 0) return planResult(tx, action, source, totals, answer);

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
  // An action with an inverse remembers whose records it moved, for its Undo.
  const changeId = movesTo && rule.inverse !== null ? randomUUID() : null;
  // An Undo gives back the records its change moved away (before the audit, which names them).
  const returned = input.undoOf
    ? await returnRecords(tx, {
        undoOf: input.undoOf,
        action,
        userIds: (await plannedChanges(tx)).map((c) => c.id),
        now: args.now,
      })
    : null;

  await writePlan(tx, {
    action,
    actorId: actor.id,
    now: args.now,
    reason: input.reason || null,
    requestId: args.requestId ?? null,
    jobId: args.jobId,
    newOwnerId: movesTo,
    changeId,
    returned: returned?.moved ?? null,
    hooks: args.hooks,
  });
  await definition(action).hooks?.afterStatus?.({
    changes: await plannedChanges(tx),
    options,
    effects: pipelineEffects(tx, { actorId: actor.id, now: args.now, baseUrl: args.baseUrl }),
  });
  const result = await planResult(tx, action, source, totals, answer);
  if (changeId) result.changeId = changeId;
  if (returned) result.recordsReturned = { returned: returned.returned, stayed: returned.stayed };
  return result;
}

/** What a definition's hooks may do, bound to this action's transaction. */
function pipelineEffects(
  tx: Executor,
  args: { actorId: string; now: Date; baseUrl: string | undefined },
): Effects {
  const baseUrl = args.baseUrl ?? "http://localhost:3000";
  return {
    createInvitations: (userIds) =>
      createInvitations(tx, { userIds, createdBy: args.actorId, baseUrl, now: args.now }),
    queueNotices: (userIds, kind) => queueNotices(tx, { userIds, kind, baseUrl, now: args.now }),
  };
}

/** What the confirmation dialog shows: the same plan the apply step runs, without locks or writes. */
export function previewLifecycleAction(db: Executor, args: PreviewArgs): Promise<PreviewResult> {
  return previewInSql(db, { ...args, deniedMessage: permissionError(args.action) });
}
