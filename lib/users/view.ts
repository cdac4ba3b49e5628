import { z } from "zod";
import { USER_ROLES, type UserStatus } from "@/db/schema";

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
export const PAGE_SIZES = [10, 25, 50, 100] as const;

/** Columns a viewer may hide ("Columns" menu); the URL's `cols` lists the hidden ones. */
export const HIDEABLE_COLUMNS = [
  "email",
  "role",
  "status",
  "lastSignIn",
  "owned",
  "statusChanged",
  "created",
] as const;
export type HideableColumn = (typeof HIDEABLE_COLUMNS)[number];
export const DEFAULT_HIDDEN_COLUMNS: readonly HideableColumn[] = ["created"];
export const DEFAULT_PAGE_SIZE = 25;
/** The `cursor` of the last page (a reversed keyset read; see lib/users/cursor.ts). */
export const LAST_PAGE = "last";

const oneOf = <T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) =>
  z.enum(values).catch(fallback);

/** The whole state of a users view: what the URL holds, and what "all N matching" means. */
const usersViewSchema = z.object({
  tab: oneOf(TABS, "active"),
  q: z.string().trim().max(200).catch(""),
  roles: z.array(z.enum(USER_ROLES)).catch([]),
  neverSignedIn: z.boolean().catch(false),
  lastSignInBefore: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .nullable()
    .catch(null),
  sort: oneOf(SORT_COLUMNS, "name"),
  dir: oneOf(["asc", "desc"] as const, "asc"),
  /** Opaque keyset cursor (lib/users/cursor.ts); absent = the first page. */
  cursor: z.string().max(1000).optional().catch(undefined),
  size: z
    .number()
    .int()
    .refine((n) => (PAGE_SIZES as readonly number[]).includes(n))
    .catch(DEFAULT_PAGE_SIZE),
  /** Hidden columns; absent means the default ones. */
  cols: z.array(z.enum(HIDEABLE_COLUMNS)).optional().catch(undefined),
});
export type UsersView = z.infer<typeof usersViewSchema>;

export function hiddenColumns(view: Pick<UsersView, "cols">): readonly HideableColumn[] {
  return view.cols ?? DEFAULT_HIDDEN_COLUMNS;
}

/** The part of a view that picks users (no sort, no page): what a bulk "all matching" uses. */
export const usersFilterSchema = usersViewSchema.pick({
  tab: true,
  q: true,
  roles: true,
  neverSignedIn: true,
  lastSignInBefore: true,
});
export type UsersFilter = z.infer<typeof usersFilterSchema>;

type Params = Record<string, string | string[] | undefined> | URLSearchParams;

function get(params: Params, key: string): string | undefined {
  if (params instanceof URLSearchParams) return params.get(key) ?? undefined;
  const v = params[key];
  return Array.isArray(v) ? v[0] : v;
}

/** Parses URL search params; anything malformed falls back to its default rather than failing. */
export function parseUsersView(params: Params): UsersView {
  const roles = (get(params, "roles") ?? "").split(",").filter(Boolean);
  const size = Number.parseInt(get(params, "size") ?? String(DEFAULT_PAGE_SIZE), 10);
  const cols = get(params, "cols");
  const parsed = usersViewSchema.parse({
    tab: get(params, "tab"),
    q: get(params, "q") ?? "",
    roles: roles.filter((r) => (USER_ROLES as readonly string[]).includes(r)),
    neverSignedIn: get(params, "never") === "1",
    lastSignInBefore: get(params, "before") ?? null,
    sort: get(params, "sort"),
    dir: get(params, "dir"),
    cursor: get(params, "cursor") || undefined,
    size: Number.isFinite(size) ? size : DEFAULT_PAGE_SIZE,
    // Absent: the default hidden columns; present (even empty): exactly the ones it lists.
    cols:
      cols === undefined
        ? undefined
        : cols.split(",").filter((c) => (HIDEABLE_COLUMNS as readonly string[]).includes(c)),
  });
  return parsed;
}

const DEFAULTS = usersViewSchema.parse({});

/** The URL query for a view, leaving out defaults so shared links stay short. */
export function usersViewQuery(view: Partial<UsersView>): string {
  const v = { ...DEFAULTS, ...view };
  const out = new URLSearchParams();
  if (v.tab !== DEFAULTS.tab) out.set("tab", v.tab);
  if (v.q) out.set("q", v.q);
  if (v.roles.length) out.set("roles", v.roles.join(","));
  if (v.neverSignedIn) out.set("never", "1");
  if (v.lastSignInBefore) out.set("before", v.lastSignInBefore);
  if (v.sort !== DEFAULTS.sort) out.set("sort", v.sort);
  if (v.dir !== DEFAULTS.dir) out.set("dir", v.dir);
  if (v.cursor) out.set("cursor", v.cursor);
  if (v.size !== DEFAULT_PAGE_SIZE) out.set("size", String(v.size));
  const hiddenNow = hiddenColumns(v);
  const hidden = HIDEABLE_COLUMNS.filter((c) => hiddenNow.includes(c));
  if (hidden.join(",") !== DEFAULT_HIDDEN_COLUMNS.join(",")) out.set("cols", hidden.join(","));
  const s = out.toString();
  return s ? `?${s}` : "";
}
