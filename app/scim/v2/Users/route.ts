import { project, projectionOf } from "@/lib/scim/attributes";
import { readScimJson, scimRoute } from "@/lib/scim/handler";
import { SCHEMAS, ScimProblem, scimJson, scimProblem } from "@/lib/scim/protocol";
import { changeFromResource } from "@/lib/scim/resource";
import { createScimUser, listScimUsers, MAX_PAGE } from "@/lib/scim/users";

/** A whole number parameter, or a 400; below `min` reads as `min` (RFC 7644 §3.4.2.4). */
function whole(params: URLSearchParams, name: string, fallback: number, min: number): number {
  const raw = params.get(name);
  if (raw === null || raw.trim() === "") return fallback;
  if (!/^-?\d{1,12}$/.test(raw.trim())) {
    throw scimProblem.invalidValue(`${name} must be a whole number.`);
  }
  return Math.max(min, Number(raw));
}

/** GET /Users: a page of users, optionally filtered (userName, externalId, emails.value eq). */
export const GET = scimRoute(async (request, { db, scim }) => {
  const params = new URL(request.url).searchParams;
  const projection = projectionOf(params);
  const startIndex = whole(params, "startIndex", 1, 1);
  const count = Math.min(MAX_PAGE, whole(params, "count", MAX_PAGE, 0));
  const filter = params.get("filter");
  const answer = await listScimUsers(
    db,
    { filter: filter?.trim() ? filter : null, startIndex, count },
    scim.baseUrl,
  );
  return scimJson({
    schemas: [SCHEMAS.listResponse],
    totalResults: answer.total,
    startIndex: answer.startIndex,
    itemsPerPage: answer.users.length,
    Resources: answer.users.map((u) => project(u, projection)),
  });
});

/** POST /Users: a new member, invited by email (or inactive when created with active: false). */
export const POST = scimRoute(async (request, { db, scim }) => {
  const change = changeFromResource(await readScimJson(request));
  const user = await createScimUser(db, change, scim);
  return scimJson(user, 201, { location: user.meta.location });
});

const notAllowed = scimRoute(async () => {
  throw new ScimProblem(405, "Use GET or POST on /Users, and PUT, PATCH or DELETE on /Users/{id}.");
});
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
