import type { NextRequest } from "next/server";
import { getDb } from "@/lib/db";
import { metrics } from "@/lib/ops/metrics";
import { sessionState } from "@/lib/session";
import { exportFileName, usersCsvStream } from "@/lib/users/export";
import { acquireExportSlot, EXPORTS_PER_USER } from "@/lib/users/export-slots";
import { parseUsersViewStrict } from "@/lib/users/view";
import { can } from "@/model/permissions";

function refuse(status: 400 | 401 | 403 | 429, message: string): Response {
  return new Response(`${message}\n`, {
    status,
    headers: {
      "Content-Type": "text/plain; charset=utf-8",
      "Cache-Control": "no-store",
      ...(status === 429 ? { "Retry-After": "30" } : {}),
    },
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
  // Taken as written: a malformed filter (a NUL byte, an impossible day) is refused, never
  // widened to its default, since the file would then hold people the link didn't ask for.
  const view = parseUsersViewStrict(request.nextUrl.searchParams);
  if (!view)
    return refuse(400, "This export link has a malformed filter. Export again from the list.");
  const release = acquireExportSlot(state.actor.id);
  if (!release) {
    metrics().exportsRefused.inc();
    return refuse(
      429,
      `You have ${EXPORTS_PER_USER} exports downloading already. Try again when one has finished.`,
    );
  }
  metrics().exportsActive.inc();
  let stream: ReadableStream<Uint8Array>;
  try {
    stream = usersCsvStream(await getDb(), view, undefined, {
      onEnd: () => {
        metrics().exportsActive.dec();
        release();
      },
    });
  } catch (error) {
    metrics().exportsActive.dec();
    release();
    throw error;
  }
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${exportFileName(view.tab)}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
