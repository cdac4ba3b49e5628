import "server-only";
import type { Db } from "@/db/client";
import { getDb } from "@/lib/db";
import { settings } from "@/lib/env";
import { errorFields, log } from "@/lib/ops/log";
import { requestIdFrom } from "@/lib/request-id";
import { MAX_BODY_BYTES } from "@/lib/security/action-body";
import { ScimProblem, scimError, scimProblem } from "./protocol";
import { takeScimRequest } from "./rate-limit";
import { authenticateScimToken } from "./tokens";
import type { ScimContext } from "./users";

/** What a SCIM route's work gets: the database, the token's client, the request's context. */
export type ScimRequest<P> = { db: Db; scim: ScimContext; params: P };

type RouteContext<P> = { params: Promise<P> };

/** The SCIM base URL, from the configured public origin (never a request header). */
function scimBaseUrl(): string {
  return `${settings().publicUrl.replace(/\/+$/, "")}/scim/v2`;
}

/**
 * Every SCIM route goes through this, in order: bearer token (401) → the token's rate (429) →
 * the work. A refusal is a SCIM error with its status; anything unexpected is logged and
 * answered 503 (nothing was changed: each write is one transaction), never a 500 or a stack.
 */
export function scimRoute<P = Record<string, never>>(
  work: (request: Request, ctx: ScimRequest<P>) => Promise<Response>,
) {
  return async (request: Request, route: RouteContext<P>): Promise<Response> => {
    const requestId = requestIdFrom(request.headers);
    try {
      const db = await getDb();
      const now = new Date();
      const client = await authenticateScimToken(db, request.headers.get("authorization"), now);
      if (!client) {
        return scimError(
          401,
          "A valid bearer token is required: create one on Roster's Settings page (SCIM tokens).",
          undefined,
          { "www-authenticate": 'Bearer realm="roster-scim"' },
        );
      }
      const gate = await takeScimRequest(db, client.id, now);
      if (!gate.ok) {
        return scimError(
          429,
          `Too many requests with this token: try again in ${gate.retryAfterSeconds} seconds.`,
          undefined,
          { "retry-after": String(gate.retryAfterSeconds) },
        );
      }
      const params = (await route.params) ?? ({} as P);
      const scim: ScimContext = {
        client,
        baseUrl: scimBaseUrl(),
        publicUrl: settings().publicUrl,
        requestId,
        now,
      };
      return await work(request, { db, scim, params });
    } catch (error) {
      if (error instanceof ScimProblem) {
        return scimError(error.status, error.detail, error.scimType, error.headers);
      }
      log().error({ msg: "scim request failed", requestId, ...errorFields(error) });
      return scimError(
        503,
        "Roster couldn't answer this request; nothing was changed. Try again.",
        undefined,
        { "retry-after": "5" },
      );
    }
  };
}

/** The JSON body of a write, at most 1 MB (413 beyond), or 400 invalidSyntax. */
export async function readScimJson(request: Request): Promise<unknown> {
  const length = request.headers.get("content-length");
  if (length !== null && Number(length) > MAX_BODY_BYTES) throw tooLarge();
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw tooLarge();
  try {
    return JSON.parse(text);
  } catch {
    throw scimProblem.invalidSyntax("The request body isn't valid JSON.");
  }
}

function tooLarge(): ScimProblem {
  return new ScimProblem(413, `The request body is over the limit of ${MAX_BODY_BYTES} bytes.`);
}
