"use server";

import { z } from "zod";
import { runServerAction } from "@/lib/server-action";
import {
  approveDeletionRequest,
  declineDeletionRequest,
  REQUEST_REFUSALS,
} from "@/lib/users/deletion-requests";
import { forBrowser, type VerbResult } from "@/lib/users/verb-types";

const requestSchema = z.strictObject({
  id: z.uuid({ error: "That deletion request doesn't exist" }),
});

const CHANGED_PATHS = ["/requests", "/users", "/audit"] as const;

/** "Approve request": the delete runs as the approver; the domain refuses the requester. */
export async function approveDeletionRequestAction(input: unknown): Promise<VerbResult> {
  const result = await runServerAction(
    {
      name: "approve-deletion-request",
      schema: requestSchema,
      permission: () => "users.delete",
      denied: () => REQUEST_REFUSALS.denied,
      revalidate: CHANGED_PATHS,
      run: (ctx, { id }) =>
        approveDeletionRequest(ctx.db, {
          actor: ctx.actor,
          id,
          now: ctx.now,
          requestId: ctx.requestId,
          seatLimit: ctx.seatLimit,
          baseUrl: ctx.baseUrl,
        }),
    },
    input,
  );
  return forBrowser(result);
}

/** "Decline request": nobody is deleted; the request is closed. */
export async function declineDeletionRequestAction(
  input: unknown,
): Promise<{ ok: true } | { ok: false; error: string }> {
  return runServerAction(
    {
      name: "decline-deletion-request",
      schema: requestSchema,
      permission: () => "users.delete",
      denied: () => REQUEST_REFUSALS.denied,
      revalidate: CHANGED_PATHS,
      run: (ctx, { id }) =>
        declineDeletionRequest(ctx.db, {
          actor: ctx.actor,
          id,
          now: ctx.now,
          requestId: ctx.requestId,
        }),
    },
    input,
  );
}
