/*
 * The wire format of SCIM 2.0 (RFC 7643, RFC 7644): schema URNs, the error body, and responses
 * of type application/scim+json. Framework-free: the route handlers and the tests share it.
 */

export const SCHEMAS = {
  user: "urn:ietf:params:scim:schemas:core:2.0:User",
  group: "urn:ietf:params:scim:schemas:core:2.0:Group",
  listResponse: "urn:ietf:params:scim:api:messages:2.0:ListResponse",
  patchOp: "urn:ietf:params:scim:api:messages:2.0:PatchOp",
  error: "urn:ietf:params:scim:api:messages:2.0:Error",
  serviceProviderConfig: "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig",
  resourceType: "urn:ietf:params:scim:schemas:core:2.0:ResourceType",
  schema: "urn:ietf:params:scim:schemas:core:2.0:Schema",
} as const;

const SCIM_CONTENT_TYPE = "application/scim+json";

/** RFC 7644 §3.12's scimType values that Roster answers with. */
export type ScimType =
  | "invalidFilter"
  | "invalidSyntax"
  | "invalidValue"
  | "invalidPath"
  | "noTarget"
  | "mutability"
  | "uniqueness"
  | "tooMany";

/** A refusal the handlers throw and the wrapper answers as a SCIM error. */
export class ScimProblem extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType?: ScimType,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

export const scimProblem = {
  invalidFilter: (detail: string) => new ScimProblem(400, detail, "invalidFilter"),
  invalidSyntax: (detail: string) => new ScimProblem(400, detail, "invalidSyntax"),
  invalidValue: (detail: string) => new ScimProblem(400, detail, "invalidValue"),
  invalidPath: (detail: string) => new ScimProblem(400, detail, "invalidPath"),
  uniqueness: (detail: string) => new ScimProblem(409, detail, "uniqueness"),
  notFound: (detail = "No such resource.") => new ScimProblem(404, detail),
  forbidden: (detail: string) => new ScimProblem(403, detail),
  conflict: (detail: string) => new ScimProblem(409, detail),
};

const JSON_HEADERS = {
  "content-type": `${SCIM_CONTENT_TYPE}; charset=utf-8`,
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
};

export function scimJson(
  body: unknown,
  status = 200,
  headers: Record<string, string> = {},
): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { ...JSON_HEADERS, ...headers },
  });
}

/** The error body of RFC 7644 §3.12: status as a string, scimType where one applies. */
export function scimError(
  status: number,
  detail: string,
  scimType?: ScimType,
  headers: Record<string, string> = {},
): Response {
  return scimJson(
    {
      schemas: [SCHEMAS.error],
      status: String(status),
      ...(scimType ? { scimType } : {}),
      detail,
    },
    status,
    headers,
  );
}
