import { SCHEMAS } from "./protocol";
import { MAX_PAGE } from "./users";

/*
 * The discovery documents (RFC 7644 §4): what Roster supports, said the way clients read it.
 * Only Users: Roster has no groups, and /Groups answers 501.
 */

export function serviceProviderConfig(baseUrl: string) {
  return {
    schemas: [SCHEMAS.serviceProviderConfig],
    documentationUri: `${baseUrl.replace(/\/scim\/v2$/, "")}/settings#scim`,
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_PAGE },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      {
        type: "oauthbearertoken",
        name: "OAuth Bearer Token",
        description:
          "A bearer token made by an owner or admin on Roster's Settings page (SCIM tokens). Only Users are supported: Groups answer 501.",
        primary: true,
      },
    ],
    meta: { resourceType: "ServiceProviderConfig", location: `${baseUrl}/ServiceProviderConfig` },
  };
}

export function userResourceType(baseUrl: string) {
  return {
    schemas: [SCHEMAS.resourceType],
    id: "User",
    name: "User",
    endpoint: "/Users",
    description: "A person in the Roster workspace",
    schema: SCHEMAS.user,
    meta: { resourceType: "ResourceType", location: `${baseUrl}/ResourceTypes/User` },
  };
}

type Attribute = {
  name: string;
  type: "string" | "boolean" | "complex";
  multiValued?: boolean;
  required?: boolean;
  caseExact?: boolean;
  mutability?: "readOnly" | "readWrite" | "immutable";
  returned?: "always" | "default";
  uniqueness?: "none" | "server" | "global";
  description: string;
  subAttributes?: Attribute[];
};

function attribute(a: Attribute): Record<string, unknown> {
  return {
    multiValued: false,
    required: false,
    caseExact: false,
    mutability: "readWrite",
    returned: "default",
    uniqueness: "none",
    ...a,
    ...(a.subAttributes ? { subAttributes: a.subAttributes.map(attribute) } : {}),
  };
}

const USER_ATTRIBUTES: Attribute[] = [
  {
    name: "userName",
    type: "string",
    required: true,
    uniqueness: "server",
    description: "The person's email address: how they sign in to Roster.",
  },
  {
    name: "name",
    type: "complex",
    description: "The person's name; Roster keeps it as one text.",
    subAttributes: [
      { name: "formatted", type: "string", description: "The full name." },
      { name: "givenName", type: "string", description: "The first word of the name." },
      { name: "familyName", type: "string", description: "The rest of the name." },
    ],
  },
  { name: "displayName", type: "string", description: "The full name, as Roster shows it." },
  {
    name: "emails",
    type: "complex",
    multiValued: true,
    description: "The one email address Roster keeps (type work, primary): the same as userName.",
    subAttributes: [
      { name: "value", type: "string", description: "The address." },
      { name: "type", type: "string", description: "Always work." },
      { name: "primary", type: "boolean", description: "Always true." },
    ],
  },
  {
    name: "active",
    type: "boolean",
    description:
      "false deactivates the person (they can't sign in, their seat is freed); true reactivates them (needs a free seat).",
  },
  {
    name: "externalId",
    type: "string",
    caseExact: true,
    uniqueness: "server",
    description: "The identity provider's id for the person.",
  },
];

export function userSchema(baseUrl: string) {
  return {
    schemas: [SCHEMAS.schema],
    id: SCHEMAS.user,
    name: "User",
    description: "User Account",
    attributes: USER_ATTRIBUTES.map(attribute),
    meta: { resourceType: "Schema", location: `${baseUrl}/Schemas/${SCHEMAS.user}` },
  };
}

/** A ListResponse of every item (discovery lists are short). */
export function listOf(items: unknown[]) {
  return {
    schemas: [SCHEMAS.listResponse],
    totalResults: items.length,
    startIndex: 1,
    itemsPerPage: items.length,
    Resources: items,
  };
}
