import { project, projectionOf } from "@/lib/scim/attributes";
import { readScimJson, scimRoute } from "@/lib/scim/handler";
import { changeFromPatch, patchOperations } from "@/lib/scim/patch";
import { ScimProblem, scimJson } from "@/lib/scim/protocol";
import { changeFromResource } from "@/lib/scim/resource";
import { changeScimUser, deleteScimUser, getScimUser } from "@/lib/scim/users";

type Params = { id: string };

export const GET = scimRoute<Params>(async (request, { db, scim, params }) => {
  const projection = projectionOf(new URL(request.url).searchParams);
  return scimJson(project(await getScimUser(db, params.id, scim.baseUrl), projection));
});

/** PUT: the whole user (Okta); attributes Roster doesn't keep are ignored. */
export const PUT = scimRoute<Params>(async (request, { db, scim, params }) => {
  const change = changeFromResource(await readScimJson(request));
  return scimJson(await changeScimUser(db, params.id, change, scim));
});

/** PATCH: Okta's and Entra ID's operations (active, name, emails, externalId). */
export const PATCH = scimRoute<Params>(async (request, { db, scim, params }) => {
  const operations = patchOperations(await readScimJson(request));
  return scimJson(
    await changeScimUser(db, params.id, (before) => changeFromPatch(before, operations), scim),
  );
});

/** DELETE: archives the user, or deletes them permanently as the settings say (then 404). */
export const DELETE = scimRoute<Params>(async (_request, { db, scim, params }) => {
  await deleteScimUser(db, params.id, scim);
  return new Response(null, { status: 204 });
});

export const POST = scimRoute(async () => {
  throw new ScimProblem(405, "Use POST on /Users to create a user.");
});
