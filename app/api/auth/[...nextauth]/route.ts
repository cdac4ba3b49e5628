import type { NextRequest } from "next/server";
import { handlers, THROTTLED_CODE } from "@/lib/auth";
import { throttledMessage } from "@/lib/throttle";

export const { GET } = handlers;

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
