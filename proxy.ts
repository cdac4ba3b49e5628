import { type NextRequest, NextResponse } from "next/server";
import { actionBodyProblem, MAX_BODY_BYTES } from "@/lib/security/action-body";
import { securityHeaders, servedOverHttps } from "@/lib/security/headers";

/**
 * Runs before the framework decodes anything: refuses what it would choke on (a foreign Origin
 * on a write, a body over 1 MB, an action body React can't decode) with a 4xx, and gives every
 * page its security headers and a fresh CSP nonce.
 */
export async function proxy(request: NextRequest): Promise<NextResponse> {
  const refusal = await refuse(request);
  if (refusal) return refusal;

  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const headers = securityHeaders({
    nonce,
    dev: process.env.NODE_ENV === "development",
    https: servedOverHttps(request.nextUrl, process.env.ROSTER_URL),
  });
  // Next reads the nonce for its own scripts from the request's CSP header.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", headers["Content-Security-Policy"] as string);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

function plain(status: number, text: string): NextResponse {
  return new NextResponse(text, {
    status,
    headers: {
      "content-type": "text/plain; charset=utf-8",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}

/** The host the browser addressed, as Next's own check sees it (first x-forwarded-host, else host). */
function addressedHost(request: NextRequest): string | null {
  const forwarded = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  return forwarded || request.headers.get("host");
}

function foreignOrigin(request: NextRequest): boolean {
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

async function refuse(request: NextRequest): Promise<NextResponse | null> {
  if (request.method === "GET" || request.method === "HEAD" || request.method === "OPTIONS") {
    return null;
  }
  if (foreignOrigin(request)) return plain(403, "Forbidden: cross-origin request.");

  const length = request.headers.get("content-length");
  if (length !== null && !(Number(length) <= MAX_BODY_BYTES)) {
    return plain(413, "Payload too large: the limit is 1 MB.");
  }
  const isAction = request.headers.has("next-action");
  const multipart = request.headers.get("content-type")?.startsWith("multipart/") ?? false;
  // Without a length (chunked), count; a plain action body is read anyway to check it.
  if (length === null || (isAction && !multipart)) {
    const body = await readUpTo(request, MAX_BODY_BYTES);
    if (body === null) return plain(413, "Payload too large: the limit is 1 MB.");
    if (isAction && !multipart) {
      const problem = actionBodyProblem(new TextDecoder().decode(body));
      if (problem) return plain(400, "Bad request: the action's arguments can't be read.");
    }
  }
  return null;
}

/** The body, or null once it passes `limit` bytes. Next buffers a copy for the page (see next.config). */
async function readUpTo(request: NextRequest, limit: number): Promise<Uint8Array | null> {
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}

export const config = {
  // Everything but the build's static files (they carry no data and need no nonce).
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
