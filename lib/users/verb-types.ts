import type { RECORD_KINDS, UserRole, UserStatus } from "@/db/schema";
import { MAX_EXPLICIT_TARGETS } from "@/model/limits";
import type { SkipCode } from "@/model/skip-reasons";
import type { VerbOptions } from "@/model/verbs";
import type { Verb } from "./lifecycle";
import type { ParsedSelection } from "./selection";

export type { ParsedSelection, Selection } from "./selection";

/** What the pipeline applies (lib/users/transitions.ts): the server action's input less its action. */
export type ParsedVerbInput = {
  selection: ParsedSelection;
  reason?: string;
  /** Archive and delete of users who own records: who takes the records over. */
  newOwnerId?: string;
  /** The action's own options (model/verbs/<verb>.ts), checked again by the pipeline. */
  options: VerbOptions;
  /**
   * "skip": targets changed by someone else are skipped and reported. "abort": if any target
   * was, change nothing and say so (the dialog then shows the new state before confirming again).
   */
  onConflict: "skip" | "abort";
  /** Undo: the id of the change this inverse undoes (its records go back to their owners). */
  undoOf?: string;
  /**
   * A filter selection confirmed from a preview: the set it matched then (lib/users/selection-token.ts).
   * When the set differs now, nothing is applied.
   */
  expectedSet?: { count: number; fingerprint: string };
};

export { SKIP_REASONS, type SkipCode } from "@/model/skip-reasons";

export type Skipped = {
  id: string;
  name: string | null;
  code: SkipCode;
  reason: string;
  /** Conflicts: the status the user is in now, and who changed it (null when unknown). */
  status?: UserStatus;
  changedBy?: string | null;
};

export type VerbResult =
  | {
      ok: true;
      action: Verb;
      done: number;
      /** Ids changed, with the status each is in now (null when deleted): what Undo needs. */
      changed: { id: string; name?: string; status: UserStatus | null }[];
      skipped: Skipped[];
      /** How many were skipped in all (`skipped` may list only the first ones, see `truncated`). */
      skippedCount?: number;
      /**
       * Set when the selection was so large ("all N matching") that `changed` and `skipped` list
       * only their first MAX_RESULT_ITEMS entries: `done` and `skippedCount` are the totals, and
       * an Undo by ids can't cover everything, so don't offer one.
       */
      truncated?: boolean;
      /** Set when records moved to a new owner and the action has an inverse: what its Undo names. */
      changeId?: string;
      /** An Undo: records that went back to their previous owners, and those that couldn't. */
      recordsReturned?: { returned: number; stayed: number };
      /** How many were skipped, per reason. */
      skippedByReason?: Partial<Record<SkipCode, number>>;
      /** Set when the selection was large enough to run as a background job (lib/jobs). */
      job?: { id: string; total: number };
      /**
       * Four-eyes delete: nothing was deleted; a deletion request of `count` users waits for
       * another admin (lib/users/deletion-requests.ts).
       */
      requested?: { id: string; count: number };
    }
  | { ok: false; error: string; conflict?: boolean };

/**
 * The most entries of `changed` / `skipped` an action's answer carries to the browser.
 * @alias
 */
export const MAX_RESULT_ITEMS = MAX_EXPLICIT_TARGETS;

/** Caps the lists of an answer for the browser; the counts stay exact. */
export function forBrowser(result: VerbResult): VerbResult {
  if (!result.ok) return result;
  const truncated =
    result.changed.length > MAX_RESULT_ITEMS || result.skipped.length > MAX_RESULT_ITEMS;
  return {
    ...result,
    changed: result.changed.slice(0, MAX_RESULT_ITEMS),
    skipped: result.skipped.slice(0, MAX_RESULT_ITEMS),
    skippedCount: result.skippedCount ?? result.skipped.length,
    ...(truncated || result.truncated ? { truncated: true } : {}),
  };
}

export type PreviewTarget = {
  id: string;
  name: string;
  email: string;
  status: UserStatus;
  role: UserRole;
  /** The status they will be in (null: removed). */
  to?: UserStatus | null;
};

export type OwnedRecords = { userId: string; name: string } & Record<
  (typeof RECORD_KINDS)[number],
  number
>;

export type PreviewResult =
  | {
      ok: true;
      action: Verb;
      /** How many will change, and the first of them (up to `limit`). */
      willChangeCount: number;
      willChange: PreviewTarget[];
      skippedCount: number;
      skipped: Skipped[];
      /** How many will be skipped, per reason. */
      skippedByReason?: Partial<Record<SkipCode, number>>;
      /** The first owners among the targets, per kind (up to `limit`): see `ownershipTotals`. */
      ownership: OwnedRecords[];
      /** All the records that move, per kind, and how many owners: owners > 0 needs a new owner. */
      ownershipTotals?: { owners: number } & Record<(typeof RECORD_KINDS)[number], number>;
      /** Above the job threshold the action runs as a background job, in batches. */
      runsAsJob?: boolean;
      /** Four-eyes delete: confirming makes a deletion request (lib/users/deletion-requests.ts). */
      needsApproval?: boolean;
      /** Seat-using actions: seats needed vs free; `blocked` says why the action can't run. */
      seats: { needed: number; free: number } | null;
      blocked: string | null;
    }
  | { ok: false; error: string };

/** The preview as the browser gets it: with the token the apply step must echo back. */
export type PreviewResponse =
  | (Extract<PreviewResult, { ok: true }> & { token: string })
  | { ok: false; error: string };

export type EligibleOwner = { id: string; name: string; email: string; role: UserRole };
