import { scimRoute } from "@/lib/scim/handler";
import { scimProblem } from "@/lib/scim/protocol";

/** Anything else under /scim/v2: a SCIM 404, never the console's page. */
const unknown = scimRoute(async () => {
  throw scimProblem.notFound(
    "No such endpoint: Roster serves Users, ServiceProviderConfig, ResourceTypes and Schemas.",
  );
});

export const GET = unknown;
export const POST = unknown;
export const PUT = unknown;
export const PATCH = unknown;
export const DELETE = unknown;
