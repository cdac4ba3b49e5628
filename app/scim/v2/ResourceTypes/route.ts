import { listOf, userResourceType } from "@/lib/scim/discovery";
import { scimRoute } from "@/lib/scim/handler";
import { scimJson } from "@/lib/scim/protocol";

/** RFC 7644 §4: the one resource type, User. */
export const GET = scimRoute(async (_request, { scim }) =>
  scimJson(listOf([userResourceType(scim.baseUrl)])),
);
