import { z } from "zod";
import { type RECORD_KINDS, USER_STATUSES, type UserRole, type UserStatus } from "@/db/schema";
import { LIFECYCLE_ACTIONS, type LifecycleAction } from "./lifecycle";
import { usersFilterSchema } from "./view";

export const MAX_EXPLICIT_TARGETS = 1000;

/**
 * What an action applies to: checked rows (each naming the status the viewer saw), or every user
 * matching a view's filter ("Select all N matching"), less the ones unchecked afterwards.
 */
export const selectionSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("ids"),
    targets: z
      .array(z.object({ id: z.uuid(), expectedStatus: z.enum(USER_STATUSES) }))
      .min(1, "Select at least one user.")
      .max(
        MAX_EXPLICIT_TARGETS,
        `Select at most ${MAX_EXPLICIT_TARGETS} users, or use "Select all matching".`,
      )
      // Dedupe by id: the first occurrence wins.
      .transform((targets) => [...new Map(targets.map((t) => [t.id, t])).values()]),
  }),
  z.object({
    kind: z.literal("filter"),
    filter: usersFilterSchema,
    excludeIds: z.array(z.uuid()).max(MAX_EXPLICIT_TARGETS).default([]),
  }),
]);
export type Selection = z.input<typeof selectionSchema>;
export type ParsedSelection = z.output<typeof selectionSchema>;

export const actionInputSchema = z.object({
  selection: selectionSchema,
  reason: z.string().trim().max(500, "Keep the reason under 500 characters.").optional(),
  /** Archive and delete of users who own records: who takes the records over. */
  newOwnerId: z.uuid().optional(),
  /** Restore: send a new invitation instead (status becomes invited). */
  sendInvitation: z.boolean().optional(),
  /** Deactivate and restore: email the user about it. */
  notify: z.boolean().optional(),
  /** Delete permanently: must be the word DELETE. */
  confirm: z.string().optional(),
  /**
   * "skip" (default): targets changed by someone else are skipped and reported.
   * "abort": if any target was changed by someone else, change nothing and say so (the UI uses
   * this so the admin can review the new state before confirming again).
   */
  onConflict: z.enum(["skip", "abort"]).default("skip"),
});
export type ActionInput = z.input<typeof actionInputSchema>;
export type ParsedActionInput = z.output<typeof actionInputSchema>;

export const SKIP_REASONS = {
  self: "That's you: nobody acts on their own account.",
  owner: "The workspace owner can't be changed.",
  rank: "Ranks the same as or above you.",
  status: "Not in a status this action applies to.",
  conflict: "Changed by someone else.",
  notFound: "No longer exists.",
} as const;
export type SkipCode = keyof typeof SKIP_REASONS;

export type Skipped = {
  id: string;
  name: string | null;
  code: SkipCode;
  reason: string;
  /** Conflicts: the status the user is in now, and who changed it (null when unknown). */
  status?: UserStatus;
  changedBy?: string | null;
};

export type ActionResult =
  | {
      ok: true;
      action: LifecycleAction;
      done: number;
      /** Ids changed, with the status each is in now (null when deleted): what Undo needs. */
      changed: { id: string; status: UserStatus | null }[];
      skipped: Skipped[];
      /** How many were skipped in all (`skipped` may list only the first ones, see `truncated`). */
      skippedCount?: number;
      /**
       * Set when the selection was so large ("all N matching") that `changed` and `skipped` list
       * only their first MAX_RESULT_ITEMS entries: `done` and `skippedCount` are the totals, and
       * an Undo by ids can't cover everything, so don't offer one.
       */
      truncated?: boolean;
      /** How many were skipped, per reason. */
      skippedByReason?: Partial<Record<SkipCode, number>>;
      /** Set when the selection was large enough to run as a background job (lib/jobs). */
      job?: { id: string; total: number };
    }
  | { ok: false; error: string; conflict?: boolean };

/** The most entries of `changed` / `skipped` an action's answer carries to the browser. */
export const MAX_RESULT_ITEMS = MAX_EXPLICIT_TARGETS;

/** Caps the lists of an answer for the browser; the counts stay exact. */
export function forBrowser(result: ActionResult): ActionResult {
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
      action: LifecycleAction;
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
      /** Seat-using actions: seats needed vs free; `blocked` says why the action can't run. */
      seats: { needed: number; free: number } | null;
      blocked: string | null;
    }
  | { ok: false; error: string };

export const previewInputSchema = z.object({
  action: z.enum(LIFECYCLE_ACTIONS),
  selection: selectionSchema,
  sendInvitation: z.boolean().optional(),
  limit: z.number().int().min(1).max(MAX_EXPLICIT_TARGETS).default(50),
});
export type PreviewInput = z.input<typeof previewInputSchema>;

export type EligibleOwner = { id: string; name: string; email: string; role: UserRole };
