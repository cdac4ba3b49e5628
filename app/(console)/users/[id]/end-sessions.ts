"use server";

import { z } from "zod";
import { runServerAction } from "@/lib/server-action";
import { type EndSessionsResult, endUserSessions } from "@/lib/users/end-sessions";

const inputSchema = z.strictObject({ userId: z.uuid("Choose a user (userId).") });

/** "End sessions" on a user's page: they are signed out everywhere. Audited. */
export async function endSessionsAction(input: { userId: string }): Promise<EndSessionsResult> {
  return runServerAction(
    {
      name: "end-sessions",
      schema: inputSchema,
      permission: () => "users.deactivate",
      denied: () => "You don't have permission to end other people's sessions.",
      revalidate: ["/audit"],
      run: (ctx, parsed) =>
        endUserSessions(ctx.db, {
          actor: ctx.actor,
          userId: parsed.userId,
          requestId: ctx.requestId,
          now: ctx.now,
        }),
    },
    input,
  );
}
