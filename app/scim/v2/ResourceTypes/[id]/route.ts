import { userResourceType } from "@/lib/scim/discovery";
import { scimRoute } from "@/lib/scim/handler";
import { scimJson, scimProblem } from "@/lib/scim/protocol";

export const GET = scimRoute<{ id: string }>(async (_request, { scim, params }) => {
  if (params.id !== "User") throw scimProblem.notFound("Roster has one resource type: User.");
  return scimJson(userResourceType(scim.baseUrl));
});
