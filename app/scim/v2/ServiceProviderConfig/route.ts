import { serviceProviderConfig } from "@/lib/scim/discovery";
import { scimRoute } from "@/lib/scim/handler";
import { scimJson } from "@/lib/scim/protocol";

/** RFC 7644 §4: what Roster's SCIM service supports. */
export const GET = scimRoute(async (_request, { scim }) =>
  scimJson(serviceProviderConfig(scim.baseUrl)),
);
