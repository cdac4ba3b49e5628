"use server";

import { z } from "zod";
import { wakeJobRunner } from "@/lib/jobs/runner";
import { applyPreviewed, previewLifecycleAction } from "@/lib/lifecycle/apply";
import { runServerAction } from "@/lib/server-action";
import {
  applyImport,
  type ImportPreview,
  type ImportResult,
  readImportPreview,
} from "@/lib/users/import-users";
import { LIFECYCLE } from "@/lib/users/lifecycle";
import {
  applyNewUsers,
  type EntryOutcome,
  previewNewUsers,
  type Skip,
} from "@/lib/users/new-users";
import { eligibleNewOwners } from "@/lib/users/ownership";
import { type PreviewCursor, previewChangesPage } from "@/lib/users/preview-sql";
import { countMatching } from "@/lib/users/queries";
import {
  type SelectionFilter,
  selectionFilterSchema,
  selectionSchema,
} from "@/lib/users/selection";
import { issuePreviewToken } from "@/lib/users/selection-token";
import { permissionError } from "@/lib/users/transitions";
import {
  type EligibleOwner,
  forBrowser,
  type PreviewResponse,
  type PreviewTarget,
  type VerbResult,
} from "@/lib/users/verb-types";
import {
  type LifecycleInput,
  lifecycleInputSchema,
  type NewUsersInput,
  newUsersInputSchema,
  type PreviewInput,
  type PreviewPageInput,
  previewInputSchema,
  previewPageInputSchema,
} from "@/lib/users/verbs/input";
import { IMPORT_WORDING } from "@/model/import-csv";
import {
  definition,
  newUserDefinition,
  VERB_NAMES,
  type Verb,
  type VerbOptions,
} from "@/model/verbs";

const CHANGED_PATHS = ["/users", "/audit"] as const;

/** The one lifecycle server action: every verb, its input and rules read off its definition. */
export async function lifecycleAction(input: LifecycleInput): Promise<VerbResult> {
  const result = await runServerAction(
    {
      name: "lifecycle",
      schema: lifecycleInputSchema,
      permission: (i) => LIFECYCLE[i.action as Verb].permission,
      denied: (i) => permissionError(i.action as Verb),
      revalidate: CHANGED_PATHS,
      // A filter selection applies only with its preview's token, to the set it showed.
      run: (ctx, i) =>
        applyPreviewed(ctx.db, {
          token: i.token,
          actor: ctx.actor,
          action: i.action as Verb,
          input: {
            selection: i.selection,
            reason: i.reason,
            newOwnerId: i.newOwnerId as string | undefined,
            options: i.options as VerbOptions,
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
  return runServerAction(
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
          options: p.options as VerbOptions,
          limit: p.limit,
          seatLimit: ctx.seatLimit,
        });
        if (!result.ok) return result;
        const token = await issuePreviewToken(ctx.db, {
          actor: ctx.actor,
          action: p.action,
          selection: p.selection,
          now: ctx.now,
        });
        return { ...result, token };
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
  return runServerAction(
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
          options: p.options as VerbOptions,
          after: p.after,
          limit: p.limit,
        })),
      }),
    },
    input,
  );
}

/** The verbs that move records (their rules say `needsTransfer`): only they look for a new owner. */
const TRANSFER_VERBS = VERB_NAMES.filter((v) => LIFECYCLE[v].needsTransfer) as [Verb, ...Verb[]];

const searchSchema = z.strictObject({
  query: z.string().max(200),
  action: z.enum(TRANSFER_VERBS),
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
  return runServerAction(
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
  return runServerAction(
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

/** The most entries of each list a preview of new users carries to the browser. */
const NEW_USERS_SHOWN = { invite: 200, skipped: 500 } as const;

export type NewUsersPreviewResponse =
  | {
      ok: true;
      willInviteCount: number;
      willInvite: EntryOutcome[];
      skippedCount: number;
      skipped: Skip[];
      seats: { needed: number; free: number } | null;
      /** Echo it when confirming: the apply goes ahead only with the plan shown. */
      fingerprint: string;
    }
  | { ok: false; error: string };

/** "Invite people": who will be invited and who is skipped, and why (nothing changes). */
export async function previewNewUsersAction(
  input: NewUsersInput,
): Promise<NewUsersPreviewResponse> {
  return runServerAction(
    {
      name: "previewNewUsers",
      schema: newUsersInputSchema,
      permission: (i) => newUserDefinition(i.action).rule.permission,
      denied: (i) => newUserDefinition(i.action).wording.denied,
      run: async (ctx, i) => {
        const p = await previewNewUsers(ctx.db, {
          actor: ctx.actor,
          action: i.action,
          options: i.options,
          seatLimit: ctx.seatLimit,
          now: ctx.now,
        });
        if (!p.ok) return p;
        return {
          ok: true as const,
          willInviteCount: p.invite.length,
          willInvite: p.invite.slice(0, NEW_USERS_SHOWN.invite),
          skippedCount: p.skipped.length,
          skipped: p.skipped.slice(0, NEW_USERS_SHOWN.skipped),
          seats: p.seats,
          fingerprint: p.fingerprint,
        };
      },
    },
    input,
  );
}

export type NewUsersResponse =
  | {
      ok: true;
      done: number;
      skippedCount: number;
      skipped: Skip[];
      /** Many to invite: a job invites them (its id, and how many). */
      job?: { id: string; total: number };
    }
  | { ok: false; error: string; conflict?: boolean };

/** "Invite": creates the people the preview showed, with their invitations, audited. */
export async function newUsersAction(input: NewUsersInput): Promise<NewUsersResponse> {
  return runServerAction(
    {
      name: "newUsers",
      schema: newUsersInputSchema,
      permission: (i) => newUserDefinition(i.action).rule.permission,
      denied: (i) => newUserDefinition(i.action).wording.denied,
      revalidate: CHANGED_PATHS,
      run: async (ctx, i) => {
        const r = await applyNewUsers(ctx.db, {
          actor: ctx.actor,
          action: i.action,
          options: i.options,
          expected: i.expected,
          seatLimit: ctx.seatLimit,
          now: ctx.now,
          requestId: ctx.requestId,
          baseUrl: ctx.baseUrl,
        });
        if (!r.ok) return r;
        // Many became a job: start its first batch now rather than at the next poll.
        if (r.job) wakeJobRunner();
        return {
          ok: true as const,
          done: r.done,
          skippedCount: r.skipped.length,
          skipped: r.skipped.slice(0, NEW_USERS_SHOWN.skipped),
          ...(r.job ? { job: r.job } : {}),
        };
      },
    },
    input,
  );
}

const importSchema = z.strictObject({ importId: z.uuid() });

/** An import's preview again (after "something changed since the preview"): its stored plan. */
export async function importPreviewAction(
  input: z.input<typeof importSchema>,
): Promise<ImportPreview | { ok: false; error: string }> {
  return runServerAction(
    {
      name: "importPreview",
      schema: importSchema,
      permission: () => "users.invite",
      denied: () => IMPORT_WORDING.denied,
      run: (ctx, i) =>
        readImportPreview(ctx.db, {
          importId: i.importId,
          actor: ctx.actor,
          seatLimit: ctx.seatLimit,
        }),
    },
    input,
  );
}

/** "Import": creates the rows the import's preview planned, with their invitations, audited. */
export async function importCsvAction(input: z.input<typeof importSchema>): Promise<ImportResult> {
  return runServerAction(
    {
      name: "importCsv",
      schema: importSchema,
      permission: () => "users.invite",
      denied: () => IMPORT_WORDING.denied,
      revalidate: CHANGED_PATHS,
      run: async (ctx, i) => {
        const result = await applyImport(ctx.db, {
          actor: ctx.actor,
          importId: i.importId,
          seatLimit: ctx.seatLimit,
          now: ctx.now,
          requestId: ctx.requestId,
          baseUrl: ctx.baseUrl,
        });
        // A large import became a job: start its first batch now rather than at the next poll.
        if (result.ok && result.job) wakeJobRunner();
        return result;
      },
    },
    input,
  );
}
