"use server";

import { z } from "zod";
import { runAction } from "@/lib/action";
import {
  type ActionResult,
  type EligibleOwner,
  forBrowser,
  type PreviewResponse,
  type PreviewTarget,
} from "@/lib/users/action-types";
import { type ActionOptions, definition, type LifecycleAction } from "@/lib/users/actions";
import {
  type LifecycleInput,
  lifecycleInputSchema,
  type PreviewInput,
  type PreviewPageInput,
  previewInputSchema,
  previewPageInputSchema,
} from "@/lib/users/actions/input";
import { LIFECYCLE } from "@/lib/users/lifecycle";
import { eligibleNewOwners } from "@/lib/users/ownership";
import { type PreviewCursor, previewChangesPage } from "@/lib/users/preview-sql";
import { countMatching } from "@/lib/users/queries";
import {
  type SelectionFilter,
  selectionFilterSchema,
  selectionSchema,
} from "@/lib/users/selection";
import { selectionToken, tokenRefusal } from "@/lib/users/selection-token";
import {
  applyLifecycleAction,
  permissionError,
  previewLifecycleAction,
} from "@/lib/users/transitions";

const CHANGED_PATHS = ["/users", "/audit"] as const;

const lifecycleSchema = lifecycleInputSchema.superRefine((input, ctx) => {
  const refusal = tokenRefusal(input.action, input.selection, input.token);
  if (refusal) ctx.addIssue({ code: "custom", path: ["token"], message: refusal });
});

/** The one lifecycle server action: every verb, its input and rules read off its definition. */
export async function lifecycleAction(input: LifecycleInput): Promise<ActionResult> {
  const result = await runAction(
    {
      name: "lifecycle",
      schema: lifecycleSchema,
      permission: (i) => LIFECYCLE[i.action as LifecycleAction].permission,
      denied: (i) => permissionError(i.action as LifecycleAction),
      revalidate: CHANGED_PATHS,
      run: (ctx, i) =>
        applyLifecycleAction(ctx.db, {
          actor: ctx.actor,
          action: i.action as LifecycleAction,
          input: {
            selection: i.selection,
            reason: i.reason,
            newOwnerId: i.newOwnerId as string | undefined,
            options: i.options as ActionOptions,
            onConflict: i.onConflict,
            undoOf: i.undoOf as string | undefined,
          },
          seatLimit: ctx.seatLimit,
          now: ctx.now,
          requestId: ctx.requestId,
          baseUrl: ctx.baseUrl,
        }),
    },
    input,
  );
  return forBrowser(result);
}

/** What the confirmation dialog shows before anything is applied, and the token to echo back. */
export async function previewAction(input: PreviewInput): Promise<PreviewResponse> {
  return runAction(
    {
      name: "preview",
      schema: previewInputSchema,
      permission: (p) => definition(p.action).rule.permission,
      denied: (p) => permissionError(p.action),
      run: async (ctx, p) => {
        const result = await previewLifecycleAction(ctx.db, {
          actor: ctx.actor,
          action: p.action,
          selection: p.selection,
          options: p.options as ActionOptions,
          limit: p.limit,
          seatLimit: ctx.seatLimit,
        });
        return result.ok ? { ...result, token: selectionToken(p.action, p.selection) } : result;
      },
    },
    input,
  );
}

export type PreviewPageResponse =
  | { ok: true; rows: PreviewTarget[]; next: PreviewCursor | null }
  | { ok: false; error: string };

/** "See all": the next page of who the action will change, after the last one shown. */
export async function previewPageAction(input: PreviewPageInput): Promise<PreviewPageResponse> {
  return runAction(
    {
      name: "previewPage",
      schema: previewPageInputSchema,
      permission: (p) => definition(p.action).rule.permission,
      denied: (p) => permissionError(p.action),
      run: async (ctx, p) => ({
        ok: true as const,
        ...(await previewChangesPage(ctx.db, {
          actor: ctx.actor,
          action: p.action,
          selection: p.selection,
          options: p.options as ActionOptions,
          after: p.after,
          limit: p.limit,
        })),
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

/**
 * The exact number of users a view's filter matches. Tables show "1,000+" past 1,000 and count
 * exactly only when someone asks to select them all.
 */
export async function countMatchingUsers(
  filter: SelectionFilter,
): Promise<{ ok: true; count: number } | { ok: false; error: string }> {
  return runAction(
    {
      name: "countMatchingUsers",
      schema: selectionFilterSchema,
      permission: () => "users.view",
      denied: () => "You don't have access to the admin console.",
      run: async (ctx, f) => ({ ok: true as const, count: await countMatching(ctx.db, f) }),
    },
    filter,
  );
}
