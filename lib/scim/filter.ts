import { type SQL, sql } from "drizzle-orm";
import { type Filter, parse } from "scim2-parse-filter";
import { scimProblem } from "./protocol";

/*
 * The filters identity providers send to find a user before they create one (RFC 7644 §3.4.2.2):
 * `userName eq "…"` (Okta), `externalId eq "…"` (Entra ID), `emails.value eq "…"`, joined by
 * `and`. The text is parsed by scim2-parse-filter; its tree is then translated strictly: any
 * other attribute or operator is refused with invalidFilter, never widened into "everyone".
 */

const MAX_FILTER_LENGTH = 1000;
const USER_URN_PREFIX = "urn:ietf:params:scim:schemas:core:2.0:user:";

/** The attribute a path names, lower-cased, without the core User schema's URN. */
function attributeOf(path: string): string {
  const lower = path.toLowerCase();
  return lower.startsWith(USER_URN_PREFIX) ? lower.slice(USER_URN_PREFIX.length) : lower;
}

const EQUALS: Record<string, (value: string) => SQL> = {
  // userName is the email; case-insensitive (RFC 7643: caseExact false), by users_email_lower_idx.
  username: (v) => sql`lower("users"."email") = lower(${v})`,
  "emails.value": (v) => sql`lower("users"."email") = lower(${v})`,
  emails: (v) => sql`lower("users"."email") = lower(${v})`,
  // externalId is the identity provider's own id: case-exact (RFC 7643 §3.1).
  externalid: (v) => sql`"users"."external_id" = ${v}`,
};

function translate(filter: Filter): SQL {
  if (filter.op === "and") {
    return sql`(${sql.join(filter.filters.map(translate), sql` and `)})`;
  }
  if (filter.op === "eq" && "attrPath" in filter && "compValue" in filter) {
    const equals = EQUALS[attributeOf(filter.attrPath)];
    if (!equals) {
      throw scimProblem.invalidFilter(
        `Filtering on "${filter.attrPath}" isn't supported: use userName, externalId or emails.value with eq.`,
      );
    }
    if (typeof filter.compValue !== "string") {
      throw scimProblem.invalidFilter(`Compare ${filter.attrPath} with a quoted string.`);
    }
    return equals(filter.compValue);
  }
  throw scimProblem.invalidFilter(
    `The operator "${filter.op}" isn't supported: use eq on userName, externalId or emails.value, joined by and.`,
  );
}

/** A filter as a predicate on `users`, or a SCIM invalidFilter problem. */
export function userFilterWhere(text: string): SQL {
  if (text.length > MAX_FILTER_LENGTH) {
    throw scimProblem.invalidFilter(`Use a filter of at most ${MAX_FILTER_LENGTH} characters.`);
  }
  let tree: Filter;
  try {
    tree = parse(text);
  } catch {
    throw scimProblem.invalidFilter("The filter can't be read (RFC 7644 §3.4.2.2).");
  }
  return translate(tree);
}
