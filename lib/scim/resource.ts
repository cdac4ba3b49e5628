import { z } from "zod";
import type { UserStatus } from "@/db/schema";
import { ACCESS_REQUEST_LIMITS } from "@/model/limits";
import { SCHEMAS, scimProblem } from "./protocol";

/*
 * A Roster user as a SCIM User (RFC 7643 §4.1), and back. Roster keeps one email and one name:
 * userName is the email, emails[type "work"] is the same address, name.formatted and displayName
 * are the name; givenName is its first word and familyName the rest.
 */

export { SCIM_STATUSES } from "@/model/statuses";

export type UserRow = {
  id: string;
  name: string;
  email: string;
  status: UserStatus;
  role: string;
  external_id: string | null;
  created_at: string | Date;
  status_changed_at: string | Date | null;
};

/** What SCIM may change of a user. */
export type UserChange = {
  email?: string;
  name?: string;
  /** null clears it. */
  externalId?: string | null;
  active?: boolean;
};

export type ScimUser = {
  schemas: string[];
  id: string;
  externalId?: string;
  userName: string;
  name: { formatted: string; givenName: string; familyName?: string };
  displayName: string;
  emails: { value: string; type: string; primary: boolean }[];
  active: boolean;
  meta: { resourceType: "User"; created: string; lastModified: string; location: string };
};

const LIMITS = {
  name: ACCESS_REQUEST_LIMITS.name,
  email: ACCESS_REQUEST_LIMITS.email,
  externalId: 255,
};

function iso(value: string | Date): string {
  return new Date(value).toISOString();
}

function splitName(name: string): { givenName: string; familyName?: string } {
  const trimmed = name.trim();
  const space = trimmed.search(/\s/);
  if (space < 0) return { givenName: trimmed };
  return { givenName: trimmed.slice(0, space), familyName: trimmed.slice(space).trim() };
}

/** Invited users count as active: they hold a seat and nobody turned them off. */
export function isScimActive(status: UserStatus): boolean {
  return status === "invited" || status === "active";
}

export function toScimUser(row: UserRow, baseUrl: string): ScimUser {
  return {
    schemas: [SCHEMAS.user],
    id: row.id,
    ...(row.external_id !== null ? { externalId: row.external_id } : {}),
    userName: row.email,
    name: { formatted: row.name, ...splitName(row.name) },
    displayName: row.name,
    emails: [{ value: row.email, type: "work", primary: true }],
    active: isScimActive(row.status),
    meta: {
      resourceType: "User",
      created: iso(row.created_at),
      lastModified: iso(row.status_changed_at ?? row.created_at),
      location: `${baseUrl}/Users/${row.id}`,
    },
  };
}

const emailSchema = z.email().max(LIMITS.email);

function text(value: unknown, what: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw scimProblem.invalidValue(`${what} must be a string.`);
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

function record(value: unknown, what: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) {
    throw scimProblem.invalidValue(`${what} must be an object.`);
  }
  return value as Record<string, unknown>;
}

/** A boolean, or the strings "true"/"false" in any case (Microsoft Entra ID sends "False"). */
function scimBoolean(value: unknown, what: string): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "string") {
    const lower = value.trim().toLowerCase();
    if (lower === "true") return true;
    if (lower === "false") return false;
  }
  throw scimProblem.invalidValue(`${what} must be true or false.`);
}

function checkedEmail(value: string): string {
  if (!emailSchema.safeParse(value).success) {
    throw scimProblem.invalidValue(
      `"${value.slice(0, 80)}" isn't an email address: Roster's userName is the person's email.`,
    );
  }
  return value;
}

function checkedName(value: string): string {
  if (value.length > LIMITS.name) {
    throw scimProblem.invalidValue(`Use a name of at most ${LIMITS.name} characters.`);
  }
  return value;
}

/** The work (else primary, else first) address of an `emails` attribute. */
function emailOf(emails: unknown): string | undefined {
  if (emails === undefined || emails === null) return undefined;
  if (!Array.isArray(emails)) throw scimProblem.invalidValue("emails must be an array.");
  const entries = emails.map((e) => record(e, "Each of emails") ?? {});
  const pick =
    entries.find((e) => e.type === "work") ??
    entries.find((e) => e.primary === true || e.primary === "true") ??
    entries[0];
  return pick ? text(pick.value, "emails.value") : undefined;
}

/** The name a resource gives: name.formatted, else given and family names, else displayName. */
function nameOf(resource: Record<string, unknown>): string | undefined {
  const name = record(resource.name, "name");
  const formatted = text(name?.formatted, "name.formatted");
  if (formatted) return formatted;
  const parts = [
    text(name?.givenName, "name.givenName"),
    text(name?.familyName, "name.familyName"),
  ];
  const joined = parts.filter(Boolean).join(" ");
  return joined || text(resource.displayName, "displayName");
}

function externalIdOf(resource: Record<string, unknown>): string | null | undefined {
  if (!("externalId" in resource)) return undefined;
  const value = text(resource.externalId, "externalId") ?? null;
  if (value !== null && value.length > LIMITS.externalId) {
    throw scimProblem.invalidValue(`Use an externalId of at most ${LIMITS.externalId} characters.`);
  }
  return value;
}

/**
 * What a full resource (POST, PUT) asks for. The email is userName when that is an address,
 * else the work email. Attributes Roster doesn't keep (title, phone numbers, roles, groups, the
 * enterprise extension) are ignored: a directory sends them all, and Roster grants no role.
 */
export function changeFromResource(body: unknown): UserChange & { email: string } {
  const resource = record(body, "The request body");
  if (!resource) throw scimProblem.invalidSyntax("The request body must be a SCIM User.");
  const userName = text(resource.userName, "userName");
  if (!userName) throw scimProblem.invalidValue("userName is required.");
  const fromEmails = emailOf(resource.emails);
  const email = emailSchema.safeParse(userName).success ? userName : fromEmails;
  const name = nameOf(resource);
  return {
    email: checkedEmail(email ?? userName),
    ...(name ? { name: checkedName(name) } : {}),
    ...(externalIdOf(resource) !== undefined ? { externalId: externalIdOf(resource) } : {}),
    ...(resource.active !== undefined ? { active: scimBoolean(resource.active, "active") } : {}),
  };
}

/**
 * What a patched resource asks for, against the resource before the patch: only what differs.
 * userName wins over emails when both changed.
 */
export function changeFromPatched(before: ScimUser, after: Record<string, unknown>): UserChange {
  const change: UserChange = {};
  const userName = text(after.userName, "userName");
  if (userName !== before.userName) {
    if (!userName) throw scimProblem.invalidValue("userName is required.");
    change.email = checkedEmail(userName);
  } else {
    const email = emailOf(after.emails);
    if (email === undefined) throw scimProblem.invalidValue("The user needs an email address.");
    if (email !== before.userName) change.email = checkedEmail(email);
  }
  const name = record(after.name, "name");
  const formatted = text(name?.formatted, "name.formatted");
  const given = text(name?.givenName, "name.givenName");
  const family = text(name?.familyName, "name.familyName");
  const display = text(after.displayName, "displayName");
  let newName: string | undefined;
  if (formatted !== before.name.formatted) newName = formatted;
  else if (given !== before.name.givenName || family !== before.name.familyName) {
    newName = [given, family].filter(Boolean).join(" ");
  } else if (display !== before.displayName) newName = display;
  if (newName !== undefined && newName !== before.name.formatted) {
    if (!newName) throw scimProblem.invalidValue("The user needs a name.");
    change.name = checkedName(newName);
  }
  const externalId = externalIdOf({ externalId: after.externalId ?? null });
  if ((externalId ?? null) !== (before.externalId ?? null)) change.externalId = externalId ?? null;
  if (after.active !== before.active) change.active = scimBoolean(after.active, "active");
  return change;
}
