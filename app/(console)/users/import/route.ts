import type { NextRequest } from "next/server";
import { getDb } from "@/lib/db";
import { errorFields, log } from "@/lib/ops/log";
import { dataSecurityHeaders, servedOverHttps } from "@/lib/security/headers";
import { foreignOrigin } from "@/lib/security/origin";
import { SERVER_ERROR, SESSION_ENDED } from "@/lib/server-action";
import { sessionState } from "@/lib/session";
import { previewImport } from "@/lib/users/import-users";
import { seatLimit } from "@/lib/workspace-settings";
import { IMPORT_MAX_BYTES, IMPORT_MESSAGES, IMPORT_WORDING } from "@/model/import-csv";
import { can } from "@/model/permissions";

function answer(request: NextRequest, status: number, body: object): Response {
  return Response.json(body, {
    status,
    headers: {
      "Cache-Control": "no-store",
      // The proxy, which gives every other answer these, leaves this path alone.
      ...dataSecurityHeaders(servedOverHttps(request.nextUrl, process.env.ROSTER_URL)),
    },
  });
}

/**
 * POST /users/import?name=<file name>, the file as the body: reads it as it streams in (never
 * whole in memory) into an import and answers its preview; nothing else changes ("Import" then
 * applies it: importCsvAction). The proxy leaves this path alone (it would buffer the body), so
 * the checks of a server action are made here: same origin, signed in, permission, size.
 */
export async function POST(request: NextRequest): Promise<Response> {
  if (request.headers.get("origin") === null || foreignOrigin(request)) {
    return answer(request, 403, { ok: false, error: "Forbidden: cross-origin request." });
  }
  const state = await sessionState();
  if (state.kind !== "signed-in") return answer(request, 401, { ok: false, error: SESSION_ENDED });
  if (!can(state.actor.role, "users.invite")) {
    return answer(request, 403, { ok: false, error: IMPORT_WORDING.denied });
  }
  const length = request.headers.get("content-length");
  if (length !== null && !(Number(length) <= IMPORT_MAX_BYTES)) {
    return answer(request, 413, { ok: false, error: IMPORT_MESSAGES.tooLarge });
  }
  if (!request.body) return answer(request, 400, { ok: false, error: IMPORT_MESSAGES.empty });
  const fileName = (request.nextUrl.searchParams.get("name") ?? "import.csv").slice(0, 200);
  try {
    const db = await getDb();
    const result = await previewImport(db, {
      actor: state.actor,
      fileName,
      source: request.body,
      seatLimit: await seatLimit(db),
    });
    return answer(request, result.ok ? 200 : 400, result);
  } catch (error) {
    log().error({ msg: "import preview failed", ...errorFields(error) });
    return answer(request, 500, { ok: false, error: SERVER_ERROR });
  }
}
