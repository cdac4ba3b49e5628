import type { NextRequest } from "next/server";
import { getDb } from "@/db";
import { sessionState } from "@/lib/session";
import { exportFileName, usersCsvStream } from "@/lib/users/export";
import { can } from "@/lib/users/permissions";
import { parseUsersView } from "@/lib/users/view";

function refuse(status: 401 | 403, message: string): Response {
  return new Response(`${message}\n`, {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}

/** GET /users/export?<the view's query>: the whole view (every page) as a CSV download. */
export async function GET(request: NextRequest): Promise<Response> {
  const state = await sessionState();
  if (state.kind !== "signed-in") {
    return refuse(401, "Sign in to export users.");
  }
  if (!can(state.actor.role, "users.export")) {
    return refuse(403, "You don't have permission to export users.");
  }
  // Malformed parameters fall back to their defaults, as on the page itself.
  const view = parseUsersView(request.nextUrl.searchParams);
  const stream = usersCsvStream(await getDb(), view);
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${exportFileName(view.tab)}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
