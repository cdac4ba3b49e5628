import type { NextRequest } from "next/server";

/** The host the browser addressed, as Next's own check sees it (first x-forwarded-host, else host). */
function addressedHost(request: NextRequest): string | null {
  const forwarded = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  return forwarded || request.headers.get("host");
}

/** A write whose Origin is not the host the browser addressed (or is unreadable): refused. */
export function foreignOrigin(request: NextRequest): boolean {
  const origin = request.headers.get("origin");
  if (origin === null) return false; // not a browser, or a same-origin GET: nothing to forge
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return true; // "null" (sandboxed frames, data: pages) or garbage
  }
  return host === "" || host !== addressedHost(request);
}
