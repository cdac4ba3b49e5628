/**
 * Enumerations the server and the browser share. No imports: this module is what client code
 * reads instead of db/schema.ts (Drizzle) or the zod schemas, so neither reaches the browser.
 */

export const USER_STATUSES = [
  "pending",
  "invited",
  "active",
  "inactive",
  "archived",
  "rejected",
] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

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

export const TABS = ["active", "pending", "inactive", "archived", "rejected"] as const;
export type Tab = (typeof TABS)[number];

export const TAB_LABELS: Record<Tab, string> = {
  active: "Active",
  pending: "Pending",
  inactive: "Inactive",
  archived: "Archived",
  rejected: "Rejected",
};

/** Which statuses each tab shows: invited users sit in Active with an "Invited" badge. */
export const TAB_STATUSES: Record<Tab, readonly UserStatus[]> = {
  active: ["active", "invited"],
  pending: ["pending"],
  inactive: ["inactive"],
  archived: ["archived"],
  rejected: ["rejected"],
};

export const SORT_COLUMNS = [
  "name",
  "email",
  "role",
  "lastSignIn",
  "created",
  "statusChanged",
] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];
export const SORT_DIRECTIONS = ["asc", "desc"] as const;
export const PAGE_SIZES = [10, 25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 25;

/** Columns a viewer may hide ("Columns" menu); the URL's `cols` lists the hidden ones. */
export const HIDEABLE_COLUMNS = [
  "email",
  "role",
  "status",
  "previousStatus",
  "lastSignIn",
  "owned",
  "statusChanged",
  "created",
] as const;
export type HideableColumn = (typeof HIDEABLE_COLUMNS)[number];
export const DEFAULT_HIDDEN_COLUMNS: readonly HideableColumn[] = ["created"];

export const AUDIT_PAGE_SIZES = [25, 50, 100] as const;
export const AUDIT_DEFAULT_PAGE_SIZE = 50;

/** The most users a selection may name one by one; beyond it, "Select all matching". */
export const MAX_EXPLICIT_TARGETS = 1000;

/** Length limits of a password someone chooses. */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 200;
