import { scimRoute } from "@/lib/scim/handler";
import { ScimProblem } from "@/lib/scim/protocol";

/** Roster has no groups: every Groups request answers 501 (after the token is checked). */
const notImplemented = scimRoute(async () => {
  throw new ScimProblem(501, "Roster has no groups: provision Users only.");
});

export const GET = notImplemented;
export const POST = notImplemented;
export const PUT = notImplemented;
export const PATCH = notImplemented;
export const DELETE = notImplemented;
