/**
 * The users table's and the audit log's view settings: sort columns, page sizes, columns.
 * No imports: model/ is the bottom layer, read by db/, lib/ and client code alike.
 */

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
