"use server";

import { z } from "zod";
import { runServerAction } from "@/lib/server-action";
import {
  type TransferWorkspaceResult,
  transferWorkspaceOwnership,
} from "@/lib/users/workspace-owner";

const inputSchema = z.strictObject({ newOwnerEmail: z.string().max(320) });

/** "Transfer workspace ownership", on the owner's own page: the domain refuses anyone else. */
export async function transferWorkspaceAction(input: {
  newOwnerEmail: string;
}): Promise<TransferWorkspaceResult> {
  return runServerAction(
    {
      name: "transfer-workspace",
      schema: inputSchema,
      permission: () => "users.view",
      denied: () => "Only the workspace owner can hand the workspace over.",
      revalidate: ["/users", "/audit"],
      run: (ctx, parsed) =>
        transferWorkspaceOwnership(ctx.db, {
          actor: ctx.actor,
          newOwnerEmail: parsed.newOwnerEmail,
          requestId: ctx.requestId,
          now: ctx.now,
        }),
    },
    input,
  );
}
