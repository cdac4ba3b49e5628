import { userSchema } from "@/lib/scim/discovery";
import { scimRoute } from "@/lib/scim/handler";
import { SCHEMAS, scimJson, scimProblem } from "@/lib/scim/protocol";

export const GET = scimRoute<{ id: string }>(async (_request, { scim, params }) => {
  if (decodeURIComponent(params.id) !== SCHEMAS.user) {
    throw scimProblem.notFound(`Roster has one schema: ${SCHEMAS.user}.`);
  }
  return scimJson(userSchema(scim.baseUrl));
});
