import { listOf, userSchema } from "@/lib/scim/discovery";
import { scimRoute } from "@/lib/scim/handler";
import { scimJson } from "@/lib/scim/protocol";

/** RFC 7644 §4: the core User schema, as far as Roster keeps it. */
export const GET = scimRoute(async (_request, { scim }) =>
  scimJson(listOf([userSchema(scim.baseUrl)])),
);
