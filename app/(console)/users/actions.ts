"use server";

import { z } from "zod";
import { runAction } from "@/lib/action";
import {
  type ActionInput,
  type ActionResult,
  actionInputSchema,
  type EligibleOwner,
  forBrowser,
  type PreviewInput,
  type PreviewResult,
  previewInputSchema,
  selectionSchema,
} from "@/lib/users/action-types";
import { LIFECYCLE, type LifecycleAction } from "@/lib/users/lifecycle";
import { eligibleNewOwners } from "@/lib/users/ownership";
import {
  applyLifecycleAction,
  permissionError,
  previewLifecycleAction,
} from "@/lib/users/transitions";

const CHANGED_PATHS = ["/users", "/audit"] as const;

async function lifecycle(action: LifecycleAction, raw: ActionInput): Promise<ActionResult> {
  const result = await runAction(
    {
      name: action,
      schema: actionInputSchema,
      permission: () => LIFECYCLE[action].permission,
      denied: () => permissionError(action),
      revalidate: CHANGED_PATHS,
      run: (ctx, input) =>
        applyLifecycleAction(ctx.db, {
          actor: ctx.actor,
          action,
          input,
          seatLimit: ctx.seatLimit,
          now: ctx.now,
          requestId: ctx.requestId,
          baseUrl: ctx.baseUrl,
        }),
    },
    raw,
  );
  return forBrowser(result);
}

export async function deactivateUsers(input: ActionInput): Promise<ActionResult> {
  return lifecycle("deactivate", input);
}

export async function reactivateUsers(input: ActionInput): Promise<ActionResult> {
  return lifecycle("reactivate", input);
}

export async function reinviteUsers(input: ActionInput): Promise<ActionResult> {
  return lifecycle("reinvite", input);
}

export async function archiveUsers(input: ActionInput): Promise<ActionResult> {
  return lifecycle("archive", input);
}

export async function restoreUsers(input: ActionInput): Promise<ActionResult> {
  return lifecycle("restore", input);
}

export async function approveUsers(input: ActionInput): Promise<ActionResult> {
  return lifecycle("approve", input);
}

export async function rejectUsers(input: ActionInput): Promise<ActionResult> {
  return lifecycle("reject", input);
}

export async function deleteUsers(input: ActionInput): Promise<ActionResult> {
  return lifecycle("delete", input);
}

/** What the confirmation dialog shows before anything is applied. */
export async function previewAction(input: PreviewInput): Promise<PreviewResult> {
  return runAction(
    {
      name: "preview",
      schema: previewInputSchema,
      permission: (p) => LIFECYCLE[p.action].permission,
      denied: (p) => permissionError(p.action),
      run: (ctx, p) =>
        previewLifecycleAction(ctx.db, {
          actor: ctx.actor,
          action: p.action,
          selection: p.selection,
          sendInvitation: p.sendInvitation,
          limit: p.limit,
          seatLimit: ctx.seatLimit,
        }),
    },
    input,
  );
}

const searchSchema = z.strictObject({
  query: z.string().max(200),
  action: z.enum(["archive", "delete"]),
  selection: selectionSchema,
});

export type OwnerSearchResult =
  | { ok: true; owners: EligibleOwner[] }
  | { ok: false; error: string };

/**
 * The "New owner" picker: active admins and the owner, less the users the action changes. The
 * selection is sent, not its ids: the server excludes it, whatever its size. Errors are answers.
 */
export async function searchNewOwners(
  input: z.input<typeof searchSchema>,
): Promise<OwnerSearchResult> {
  return runAction(
    {
      name: "searchNewOwners",
      schema: searchSchema,
      permission: (s) => LIFECYCLE[s.action].permission,
      denied: (s) => permissionError(s.action),
      run: async (ctx, s) => ({
        ok: true as const,
        owners: await eligibleNewOwners(ctx.db, {
          query: s.query,
          selection: { selection: s.selection, actor: ctx.actor, action: s.action },
        }),
      }),
    },
    input,
  );
}
