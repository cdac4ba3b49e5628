/**
 * Roles, highest rank first, and the kinds of record a user can own.
 * No imports: model/ is the bottom layer, read by db/, lib/ and client code alike.
 */

/** Highest rank first: owner > admin > manager > support > member. */
export const USER_ROLES = ["owner", "admin", "manager", "support", "member"] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const ROLE_LABELS: Record<UserRole, string> = {
  owner: "Owner",
  admin: "Admin",
  manager: "Manager",
  support: "Support",
  member: "Member",
};

export const RECORD_KINDS = ["project", "automation"] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];
