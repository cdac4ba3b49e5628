import {
  createLoader,
  createParser,
  createSerializer,
  type inferParserType,
  parseAsArrayOf,
  parseAsNumberLiteral,
  parseAsStringLiteral,
} from "nuqs/server";
import {
  type DormantFilter,
  parseDormantFilter,
  serializeDormantFilter,
} from "@/lib/policies/dormant-filter";
import { parseAsCursor, parseAsDay, parseAsFlag, parseAsSearchText } from "@/lib/url";
import { USER_ROLES } from "@/model/roles";
import { TABS } from "@/model/statuses";
import {
  DEFAULT_HIDDEN_COLUMNS,
  DEFAULT_PAGE_SIZE,
  HIDEABLE_COLUMNS,
  type HideableColumn,
  PAGE_SIZES,
  SORT_COLUMNS,
  SORT_DIRECTIONS,
} from "@/model/view";

// Re-exported so that server code keeps one import for a view's vocabulary.
export { TAB_LABELS, TAB_STATUSES, TABS, type Tab } from "@/model/statuses";
export {
  DEFAULT_HIDDEN_COLUMNS,
  type HideableColumn,
  SORT_COLUMNS,
  type SortColumn,
} from "@/model/view";

const parseAsDormant = createParser({
  parse: parseDormantFilter,
  serialize: serializeDormantFilter,
  eq: (a, b) => serializeDormantFilter(a) === serializeDormantFilter(b),
});

/**
 * The URL state of the users table, one nuqs parser per key. Pages read it leniently: a value
 * that doesn't parse (unknown tab, NUL byte, impossible date) falls back to its default.
 */
export const usersViewParsers = {
  tab: parseAsStringLiteral(TABS).withDefault("active"),
  q: parseAsSearchText.withDefault(""),
  roles: parseAsArrayOf(parseAsStringLiteral(USER_ROLES)).withDefault([]),
  neverSignedIn: parseAsFlag.withDefault(false),
  lastSignInBefore: parseAsDay,
  /** "Access ending in the next 30 days": users with an access end date before then. */
  accessEnding: parseAsFlag.withDefault(false),
  /**
   * Who the dormant-user policy with these settings would deactivate now (the link of its
   * preview on /settings): `dormant=<days>.<exempt days>[.<role left out>…]`.
   */
  dormant: parseAsDormant,
  sort: parseAsStringLiteral(SORT_COLUMNS).withDefault("name"),
  dir: parseAsStringLiteral(SORT_DIRECTIONS).withDefault("asc"),
  /** Opaque keyset position; absent is the first page. */
  cursor: parseAsCursor,
  size: parseAsNumberLiteral(PAGE_SIZES).withDefault(DEFAULT_PAGE_SIZE),
  /** Hidden columns; absent means the default ones, present (even empty) exactly these. */
  cols: parseAsArrayOf(parseAsStringLiteral(HIDEABLE_COLUMNS)),
};

/** The `cursor` of the last page (a reversed keyset read; see lib/users/cursor.ts). */
export const LAST_PAGE = "last";

export const usersViewUrlKeys = {
  neverSignedIn: "never",
  lastSignInBefore: "before",
  accessEnding: "ending",
} as const;

/** The whole state of a users view: what the URL holds, and what "all N matching" means. */
export type UsersView = Omit<ParsedUsersView, "size" | "cursor" | "cols" | "dormant"> & {
  size: number;
  cursor?: string | null;
  cols?: HideableColumn[] | null;
  dormant?: DormantFilter | null;
};
type ParsedUsersView = inferParserType<typeof usersViewParsers>;

/**
 * The part of a view that picks users (no sort, no page): what a bulk "all matching" uses.
 * `dormant` may be left out (no such filter): it came after the others, which every caller spells.
 */
export type UsersFilter = Pick<
  UsersView,
  "tab" | "q" | "roles" | "neverSignedIn" | "lastSignInBefore" | "accessEnding"
> & { dormant?: DormantFilter | null };

export function usersFilterOf(view: UsersFilter): UsersFilter {
  return {
    tab: view.tab,
    q: view.q,
    roles: [...view.roles],
    neverSignedIn: view.neverSignedIn,
    lastSignInBefore: view.lastSignInBefore,
    accessEnding: view.accessEnding,
    dormant: view.dormant ?? null,
  };
}

export function hiddenColumns(view: Pick<UsersView, "cols">): readonly HideableColumn[] {
  return view.cols ?? DEFAULT_HIDDEN_COLUMNS;
}

const loadUsersView = createLoader(usersViewParsers, { urlKeys: usersViewUrlKeys });

type Params = Record<string, string | string[] | undefined> | URLSearchParams;

/** Parses URL search params; anything malformed falls back to its default rather than failing. */
export function parseUsersView(params: Params): UsersView {
  return loadUsersView(params);
}

/**
 * Parses a view that must be taken as written (the CSV export): null when any parameter is
 * malformed, so a crafted filter is refused rather than widened.
 */
export function parseUsersViewStrict(params: Params): UsersView | null {
  try {
    return loadUsersView(params, { strict: true });
  } catch {
    return null;
  }
}

export const USERS_DEFAULTS: UsersView = loadUsersView({});

const serializeUsersView = createSerializer(usersViewParsers, { urlKeys: usersViewUrlKeys });

/** The URL query for a view, leaving out defaults so shared links stay short. */
export function usersViewQuery(view: Partial<UsersView>): string {
  const v = { ...USERS_DEFAULTS, ...view };
  const hidden = HIDEABLE_COLUMNS.filter((c) => hiddenColumns(v).includes(c));
  const cols = hidden.join(",") === DEFAULT_HIDDEN_COLUMNS.join(",") ? null : hidden;
  return serializeUsersView({ ...v, size: v.size as ParsedUsersView["size"], cols });
}
