import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { requestDeletion } from "@/lib/users/deletion-requests";
import type { PreviewArgs } from "@/lib/users/preview-sql";
import { previewInSql } from "@/lib/users/preview-sql";
import { readPreviewToken } from "@/lib/users/selection-token";
import { SELECTION_CHANGED } from "@/lib/users/set-fingerprint";
import {
  type ApplyArgs,
  applySource,
  checkApply,
  countSelection,
  permissionError,
  sameSet,
} from "@/lib/users/transitions";
import type { ParsedVerbInput, PreviewResult, VerbResult } from "@/lib/users/verb-types";
import { workspaceSettings } from "@/lib/workspace-settings";
import { type Doer, isSystem, type Person } from "@/model/permissions";
import { definition, type Verb } from "@/model/verbs";
import { isDestructive } from "@/model/verbs/define";
import { jobThreshold } from "./config";
import { startLifecycleJob } from "./freeze";

/**
 * Applies one lifecycle action to a whole selection: in ONE transaction, set-based
 * (lib/users/transitions.ts), or, for a filter selection larger than the job threshold, frozen
 * into a background job (lib/jobs): the answer then names the job. Either all of a transaction
 * happens or none; refusals (seats, new owner, typed confirmation, conflicts with onConflict
 * "abort") change nothing.
 */
export async function applyLifecycleAction(db: Executor, args: ApplyArgs): Promise<VerbResult> {
  const checked = checkApply(args);
  if (!checked.ok) return checked;
  const { input, now, source } = checked;
  const { actor } = args;
  const refusal = await missingReason(db, args);
  if (refusal) return { ok: false, error: refusal };
  // Four-eyes delete: a person's confirmation becomes a request for another admin to approve.
  if (!isSystem(actor) && (await fourEyes(db, actor, args.action))) {
    return db.transaction((tx) =>
      requestDeletion(tx, source, { ...args, actor, input, now, jobId: null }),
    );
  }
  // Only a person starts a background job (it runs on as them, re-checked each batch).
  if (input.selection.kind === "filter" && !isSystem(actor)) {
    const total = await countSelection(db, source);
    if (total > jobThreshold()) {
      // The set the preview counted and fingerprinted, or nothing: a job never runs on another.
      const from = sql`from users where ${source.where}`;
      if (input.expectedSet && !(await sameSet(db, from, sql`"users"."id"`, input.expectedSet))) {
        return { ok: false, conflict: true, error: SELECTION_CHANGED };
      }
      return startLifecycleJob(db, { ...args, actor, input, now, source, total });
    }
  }
  return db.transaction((tx) => applySource(tx, source, { ...args, input, now, jobId: null }));
}

/** Whether this person's confirmation of the verb makes a request (four-eyes delete is on). */
async function fourEyes(db: Executor, actor: Doer, action: Verb): Promise<boolean> {
  if (isSystem(actor) || !definition(action).fourEyes) return false;
  return (await workspaceSettings(db)).deleteApproval;
}

/**
 * With "Require a reason for destructive actions" on (/settings), a person's deactivate, suspend,
 * archive, reject or delete without a reason is refused. The system's changes (its name is the
 * reason) and an Undo (going back) need none.
 */
async function missingReason(db: Executor, args: ApplyArgs): Promise<string | null> {
  if (isSystem(args.actor) || args.input.undoOf || args.input.reason?.trim()) return null;
  const { rule, wording } = definition(args.action);
  if (!isDestructive(rule) || !(await workspaceSettings(db)).reasonRequired) return null;
  return reasonRequiredMessage(wording.title);
}

/** The refusal of a destructive action without a reason, when the workspace requires one. */
function reasonRequiredMessage(title: string): string {
  return `Give a reason: this workspace requires one to ${title.toLowerCase()} users.`;
}

/**
 * What the confirmation dialog shows: the same plan the apply step runs, without locks or writes,
 * and whether it will run as a background job.
 */
export async function previewLifecycleAction(
  db: Executor,
  args: PreviewArgs,
): Promise<PreviewResult> {
  const preview = await previewInSql(db, { ...args, deniedMessage: permissionError(args.action) });
  if (!preview.ok) return preview;
  // Everyone the filter matches now, changed or skipped: what applyLifecycleAction counts.
  const matched = preview.willChangeCount + preview.skippedCount;
  const needsApproval = await fourEyes(db, args.actor, args.action);
  return {
    ...preview,
    runsAsJob: !needsApproval && args.selection.kind === "filter" && matched > jobThreshold(),
    ...(needsApproval ? { needsApproval } : {}),
  };
}

/**
 * The apply step of the confirmation: a filter selection runs only with a token of its preview,
 * and only on the set that preview matched (checked again in the apply's transaction).
 */
export async function applyPreviewed(
  db: Executor,
  args: Omit<ApplyArgs, "input" | "action" | "actor"> & {
    /** A person: a preview's token is theirs. */
    actor: Person;
    action: Verb;
    input: ParsedVerbInput;
    token: string | undefined;
    now: Date;
  },
): Promise<VerbResult> {
  const { token, ...rest } = args;
  if (args.input.selection.kind === "ids") return applyLifecycleAction(db, rest);
  const check = readPreviewToken({
    actor: args.actor,
    action: args.action,
    selection: args.input.selection,
    token,
    now: args.now,
  });
  // An expired token is a conflict: the dialog loads the preview again, with a new token.
  if (!check.ok) return check.expired ? { ok: false, conflict: true, error: check.error } : check;
  return applyLifecycleAction(db, {
    ...rest,
    input: { ...args.input, expectedSet: check.expected },
  });
}
