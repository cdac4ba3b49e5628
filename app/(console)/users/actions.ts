"use server";

import { z } from "zod";
import { USER_ROLES } from "@/db/schema";
import { runAction } from "@/lib/action";
import {
  type ActionInput,
  type ActionResult,
  actionInputSchema,
  type EligibleOwner,
  forBrowser,
  MAX_EXPLICIT_TARGETS,
  type PreviewInput,
  type PreviewResult,
  previewInputSchema,
} from "@/lib/users/action-types";
import { LIFECYCLE, type LifecycleAction } from "@/lib/users/lifecycle";
import { eligibleNewOwners } from "@/lib/users/ownership";
import { countMatching } from "@/lib/users/queries";
import {
  applyLifecycleAction,
  permissionError,
  previewLifecycleAction,
} from "@/lib/users/transitions";
import { TABS, type UsersFilter } from "@/lib/users/view";

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

const searchSchema = z.object({
  query: z.string().max(200),
  excludeIds: z.array(z.uuid()).max(MAX_EXPLICIT_TARGETS),
});

/** The "New owner" picker: active admins and the owner, less the users being changed. */
export async function searchNewOwners(
  query: string,
  excludeIds: string[],
): Promise<EligibleOwner[]> {
  const result = await runAction(
    {
      name: "searchNewOwners",
      schema: searchSchema,
      permission: () => ["users.archive", "users.delete"],
      denied: () => permissionError("archive"),
      run: async (ctx, s) => ({
        ok: true as const,
        owners: await eligibleNewOwners(ctx.db, { query: s.query, excludeIds: s.excludeIds }),
      }),
    },
    { query, excludeIds },
  );
  return result.ok ? result.owners : [];
}

const countFilterSchema = z.strictObject({
  tab: z.enum(TABS),
  q: z.string().trim().max(200),
  roles: z.array(z.enum(USER_ROLES)).max(USER_ROLES.length),
  neverSignedIn: z.boolean(),
  lastSignInBefore: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .nullable(),
});

/**
 * The exact number of users a view's filter matches. Tables show "1,000+" past 1,000 and count
 * exactly only when someone asks to select them all.
 */
export async function countMatchingUsers(
  filter: UsersFilter,
): Promise<{ ok: true; count: number } | { ok: false; error: string }> {
  return runAction(
    {
      name: "countMatchingUsers",
      schema: countFilterSchema,
      permission: () => "users.view",
      denied: () => "You don't have access to the admin console.",
      run: async (ctx, f) => ({ ok: true as const, count: await countMatching(ctx.db, f) }),
    },
    filter,
  );
}
