import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { type Executor, queryRows } from "@/db/client";
import { isUuid } from "@/db/sql";
import { type Doer, isSystem, may } from "@/model/permissions";
import { definition, type VerbOptions } from "@/model/verbs";
import type { Effects } from "@/model/verbs/define";
import { queueRejections } from "./access-requests";
import {
  lockAndPlan,
  ownersInPlan,
  plannedChanges,
  plannedIds,
  plannedOwner,
  planResult,
  planTotals,
  writePlan,
} from "./apply-sql";
import { scheduleExpiry } from "./expiry";
import { createInvitations, queueNotices } from "./invitations";
import { LIFECYCLE, type Verb } from "./lifecycle";
import { createPasswordResets } from "./password-resets";
import { returnRecords } from "./record-transfers";
import { conflictMessage, seatRefusal, transferRefusal } from "./refusals";
import { freeSeats } from "./seats";
import { type SelectionSource, selectionSource } from "./selection-sql";
import { fingerprintSet, SELECTION_CHANGED } from "./set-fingerprint";
import type { ParsedVerbInput, VerbResult } from "./verb-types";
import { optionsSchema, refineOptions } from "./verbs/options";

export function permissionError(action: Verb): string {
  return definition(action).wording.denied;
}

export { DELETE_NOT_CONFIRMED } from "@/model/verbs/delete";

/** Test seams: throw from one of these to prove the transaction leaves nothing behind. */
export type TransitionHooks = {
  afterLock?: () => unknown;
  afterTransfer?: () => unknown;
  afterStatus?: () => unknown;
};

export type ApplyArgs = {
  /** A signed-in person, or the system (a change that ends by itself, a policy). */
  actor: Doer;
  action: Verb;
  input: ParsedVerbInput;
  /** The workspace's seat limit (seatLimit() of lib/workspace-settings.ts in the app). */
  seatLimit: number;
  now?: Date;
  requestId?: string | null;
  /** Origin for links in emails (invitations). */
  baseUrl?: string;
  hooks?: TransitionHooks;
};

/** An action as checked before any work: its options parsed, its time, its users as SQL. */
export type CheckedApply = {
  input: ParsedVerbInput & { options: VerbOptions };
  now: Date;
  source: SelectionSource;
};

/**
 * The checks before any work, the same for a small action and a job: the actor's permission and
 * the action's own options (checked here too: the domain is called by more than the server action).
 */
export function checkApply(
  args: ApplyArgs,
): ({ ok: true } & CheckedApply) | { ok: false; error: string } {
  const { actor, action, input } = args;
  const rule = LIFECYCLE[action];
  if (!may(actor, rule.permission)) return { ok: false, error: permissionError(action) };
  const parsedOptions = optionsSchema(action).safeParse(input.options);
  if (!parsedOptions.success) {
    return {
      ok: false,
      error: parsedOptions.error.issues[0]?.message ?? "Those options aren't valid.",
    };
  }
  const options = parsedOptions.data as VerbOptions;
  const now = args.now ?? new Date();
  // The fields' own checks, which need the request: "a time in the future", "a role below yours".
  const refused = refineOptions(definition(action), options, { now, actor });
  if (refused) return { ok: false, error: refused };
  return { ok: true, input: { ...input, options }, now, source: selectionSource(input.selection) };
}

/** Whether a set of users is still the one the preview fingerprinted (count and ids). */
export async function sameSet(
  db: Executor,
  from: ReturnType<typeof sql>,
  id: ReturnType<typeof sql>,
  expected: { count: number; fingerprint: string },
): Promise<boolean> {
  const now = await fingerprintSet(db, from, id);
  return now.count === expected.count && now.fingerprint === expected.fingerprint;
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
  input: Omit<ParsedVerbInput, "selection">;
  now: Date;
  jobId: string | null;
  /** A job's batch: the answer carries counts only (a job keeps totals, not names). */
  countsOnly?: boolean;
  /** A job's batch: its reason, kept once when the job was queued (`input.reason` is then unset). */
  reasonId?: number | null;
  /**
   * Every check passed, nothing written yet: answer this instead of applying (a deletion
   * request keeps the plan's users, lib/users/deletion-requests.ts).
   */
  instead?: (plan: PlanForRequest) => Promise<VerbResult>;
};

/** What `instead` gets: the users the action would change (a query of `id`s), its answer. */
type PlanForRequest = {
  changing: ReturnType<typeof sql>;
  newOwnerId: string | null;
  result: Extract<VerbResult, { ok: true }>;
};

/**
 * The pipeline on one set of users, inside the caller's transaction: the whole of a small
 * action, or one batch of a job.
 */
export async function applySource(
  tx: Executor,
  source: SelectionSource,
  args: SourceArgs,
): Promise<VerbResult> {
  const { actor, action, input } = args;
  const rule = LIFECYCLE[action];
  const ownerId =
    rule.needsTransfer && input.newOwnerId !== undefined && isUuid(input.newOwnerId)
      ? input.newOwnerId
      : null;
  const options = input.options;
  await lockAndPlan(tx, source, { actor, action, options, newOwnerId: ownerId });
  await args.hooks?.afterLock?.();
  // Confirmed from a preview: the locked set must be the one it showed, or nothing is applied.
  if (
    input.expectedSet &&
    !(await sameSet(tx, sql`from lifecycle_plan p where p.in_sel`, sql`p.id`, input.expectedSet))
  ) {
    return { ok: false, conflict: true, error: SELECTION_CHANGED };
  }
  const totals = await planTotals(tx, source);
  const conflicts = totals.byReason.conflict ?? 0;
  if (conflicts > 0 && input.onConflict === "abort") {
    return { ok: false, conflict: true, error: conflictMessage(conflicts) };
  }
  const answer = { countsOnly: args.countsOnly };
  if (totals.done === 0) return planResult(tx, action, source, totals, answer);

  // The seat lock only now, after the row locks and only when seats are taken (see seats.ts):
  // held from here to the commit, it queues seat-taking changes behind this one's writes, not
  // behind its planning.
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
  if (args.instead) {
    return args.instead({
      changing: plannedIds(),
      newOwnerId: movesTo,
      result: await planResult(tx, action, source, totals, answer),
    });
  }
  // An action with an inverse remembers whose records it moved, for its Undo. A job's batches
  // share the job's id, so that undoing the job gives back what every batch moved.
  const changeId = movesTo && rule.inverse !== null ? (args.jobId ?? randomUUID()) : null;
  // An Undo gives back the records its change moved away (before the audit, which names them).
  const returned = input.undoOf
    ? await returnRecords(tx, {
        undoOf: input.undoOf,
        action,
        userIds: (await plannedChanges(tx)).map((c) => c.id),
        now: args.now,
      })
    : null;

  const actorId = isSystem(actor) ? null : actor.id;
  await writePlan(tx, {
    action,
    actorId,
    options,
    now: args.now,
    // The system types no reason: its name says why ("Policy: suspension ends").
    reason: input.reason || (isSystem(actor) ? actor.system : null),
    reasonId: args.reasonId ?? null,
    requestId: args.requestId ?? null,
    jobId: args.jobId,
    newOwnerId: movesTo,
    changeId,
    returned: returned?.moved ?? null,
    hooks: args.hooks,
  });
  const def = definition(action);
  const changes = await plannedChanges(tx);
  const effects = pipelineEffects(tx, { actorId, now: args.now, baseUrl: args.baseUrl });
  await def.hooks?.afterStatus?.({ changes, options, effects });
  // "Notify <name> by email": the verb's declared notice, to each user it changed.
  const notice = def.notice;
  const opts = options as Record<string, unknown>;
  if (notice && opts.notify === true && !(notice.unless && opts[notice.unless] === true)) {
    await effects.queueNotices(
      changes.map((c) => c.id),
      notice.kind,
    );
  }
  // A change that ends by itself: the runner undoes it at its time, as the system.
  await scheduleExpiry(tx, { action, options, seatLimit: args.seatLimit });
  const result = await planResult(tx, action, source, totals, answer);
  if (changeId) result.changeId = changeId;
  if (returned) result.recordsReturned = { returned: returned.returned, stayed: returned.stayed };
  return result;
}

/** The links of emails written without a public URL (tests, scripts). */
export const FALLBACK_BASE_URL = "http://localhost:3000";

/** What a definition's hooks may do, bound to this action's transaction. */
export function pipelineEffects(
  tx: Executor,
  args: { actorId: string | null; now: Date; baseUrl: string | undefined },
): Effects {
  const baseUrl = args.baseUrl ?? FALLBACK_BASE_URL;
  return {
    createInvitations: (userIds) =>
      createInvitations(tx, { userIds, createdBy: args.actorId, baseUrl, now: args.now }),
    queueNotices: (userIds, kind) => queueNotices(tx, { userIds, kind, baseUrl, now: args.now }),
    sendPasswordLinks: (userIds, purpose) =>
      createPasswordResets(tx, {
        userIds,
        createdBy: args.actorId,
        baseUrl,
        now: args.now,
        purpose,
      }),
    queueRejections: (userIds) => queueRejections(tx, { userIds, now: args.now }),
  };
}
