import type { NextRequest } from "next/server";
import { handlers, THROTTLED_CODE } from "@/lib/auth";
import { sessionState } from "@/lib/session";
import { throttledMessage } from "@/lib/throttle";

/**
 * Auth.js's own answers, except the session: a cookie whose server-side session has ended (signed
 * out elsewhere, ended by an admin, the account taken out of use or deleted) gets what a
 * signed-out request gets, never the name and email the cookie still carries.
 */
export async function GET(request: NextRequest): Promise<Response> {
  if (request.nextUrl.pathname.endsWith("/session")) {
    const state = await sessionState();
    if (state.kind !== "signed-in")
      return Response.json(null, { headers: { "cache-control": "private, no-cache, no-store" } });
  }
  return handlers.GET(request);
}

/**
 * Auth.js answers a refused credentials sign-in with a redirect (or `{ url }`) carrying the
 * code; a throttled one becomes 429 with Retry-After, as HTTP has it.
 */
export async function POST(request: NextRequest): Promise<Response> {
  const response = await handlers.POST(request);
  let target = response.headers.get("location");
  if (!target && response.headers.get("content-type")?.includes("application/json")) {
    const body = (await response
      .clone()
      .json()
      .catch(() => null)) as { url?: unknown } | null;
    target = typeof body?.url === "string" ? body.url : null;
  }
  const code = target ? new URL(target, "http://x").searchParams.get("code") : null;
  const throttled = code ? THROTTLED_CODE.exec(code) : null;
  if (!throttled) return response;
  const seconds = throttled[1] ?? "60";
  return Response.json(
    { error: throttledMessage(Number(seconds)) },
    { status: 429, headers: { "Retry-After": seconds } },
  );
}
