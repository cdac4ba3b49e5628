import { type NextRequest, NextResponse } from "next/server";
import {
  actionBodyProblem,
  MAX_BODY_BYTES,
  multipartBodyProblem,
} from "@/lib/security/action-body";
import { securityHeaders, servedOverHttps } from "@/lib/security/headers";
import { foreignOrigin } from "@/lib/security/origin";

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

/** A refusal as the client reads one: plain text, or a SCIM error under /scim (RFC 7644 §3.12). */
function plain(request: NextRequest, status: number, text: string): NextResponse {
  if (request.nextUrl.pathname.startsWith("/scim/")) {
    return new NextResponse(
      JSON.stringify({
        schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
        status: String(status),
        detail: text,
      }),
      {
        status,
        headers: {
          "content-type": "application/scim+json; charset=utf-8",
          "cache-control": "no-store",
          "x-content-type-options": "nosniff",
        },
      },
    );
  }
  return new NextResponse(text, {
    status,
    headers: {
      "content-type": "text/plain; charset=utf-8",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}

async function refuse(request: NextRequest): Promise<NextResponse | null> {
  if (request.method === "GET" || request.method === "HEAD" || request.method === "OPTIONS") {
    return null;
  }
  if (foreignOrigin(request)) return plain(request, 403, "Forbidden: cross-origin request.");

  const length = request.headers.get("content-length");
  if (length !== null && !(Number(length) <= MAX_BODY_BYTES)) {
    return plain(request, 413, "Payload too large: the limit is 1 MB.");
  }
  const isAction = request.headers.has("next-action");
  const multipart = request.headers.get("content-type")?.startsWith("multipart/") ?? false;
  // Without a length (chunked), count; an action's body is read anyway to check it.
  if (length === null || isAction) {
    const body = await readUpTo(request, MAX_BODY_BYTES);
    if (body === null) return plain(request, 413, "Payload too large: the limit is 1 MB.");
    if (isAction) {
      const problem = multipart
        ? await multipartBodyProblem(body, request.headers.get("content-type") ?? "")
        : actionBodyProblem(new TextDecoder().decode(body));
      if (problem) return plain(request, 400, "Bad request: the action's arguments can't be read.");
    }
  }
  return null;
}

/** The body, or null once it passes `limit` bytes. Next buffers a copy for the page (see next.config). */
async function readUpTo(
  request: NextRequest,
  limit: number,
): Promise<Uint8Array<ArrayBuffer> | null> {
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
  // Everything but the build's static files (they carry no data and need no nonce) and the
  // probes (/healthz, /readyz, /metrics: plain text, no page, asked every few seconds).
  // And the CSV import's upload (app/(console)/users/import/route.ts): up to 10 MB, streamed, with
  // the same origin check of its own; through here Next would buffer it whole for the proxy.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|healthz|readyz|metrics|users/import).*)"],
};
