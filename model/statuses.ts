/**
 * A user's lifecycle statuses and the tabs that list them, as data: every other copy (the
 * database enum, the generated `users.tab` column, tab filters, seat and invitable sets, badges,
 * sign-in refusals, empty states, docs/lifecycle.md) is derived from the two registries below.
 * No imports: model/ is the bottom layer, read by db/, lib/ and client code alike.
 */

/** The tabs of the users table, in the order they are shown; a tab's code is its index. */
const TAB_REGISTRY = {
  active: {
    label: "Active",
    empty: {
      title: "No active users",
      body: "Active users can sign in. People you invite appear here with an “Invited” badge until they accept.",
    },
  },
  pending: {
    label: "Pending",
    empty: {
      title: "No pending requests",
      body: "People who ask to join wait here until an admin or manager approves or rejects them.",
    },
  },
  inactive: {
    label: "Inactive",
    empty: {
      title: "No inactive users",
      body: "Deactivated users can't sign in; their data is kept and they can be reactivated.",
    },
  },
  archived: {
    label: "Archived",
    empty: {
      title: "No archived users",
      body: "Archived users can't sign in and keep their data until restored.",
    },
  },
  rejected: {
    label: "Rejected",
    empty: {
      title: "No rejected requests",
      body: "Rejected requests are kept here, so they can still be approved later.",
    },
  },
} as const satisfies Record<string, TabSpec>;

export type Tab = keyof typeof TAB_REGISTRY;

type TabSpec = {
  label: string;
  /** What the tab is for, said when it is empty. */
  empty: { title: string; body: string };
};

export type BadgeTone = "green" | "blue" | "amber" | "grey" | "violet" | "red";

/** What a status's sign-in refusal may say about it: when it ends by itself, as words. */
type StatusData = { until?: string };

export type StatusSpec = {
  label: string;
  tone: BadgeTone;
  tab: Tab;
  /** Whether a user in this status occupies one of the workspace's seats. */
  holdsSeat: boolean;
  /** Whether an invitation link sent to a user in this status may still be accepted. */
  invitable: boolean;
  /**
   * Why someone in this status may not sign in (null: they may): a code the sign-in page and
   * the session carry, and the message, which may take the status's data ("until 12 Jan").
   */
  signIn: null | { code: string; message: (data: StatusData) => string };
};

export const DEACTIVATED_MESSAGE =
  "Your account has been deactivated. Contact your workspace admin.";

/** Inactive and archived users are refused alike (one code, one message). */
const DEACTIVATED: StatusSpec["signIn"] = {
  code: "deactivated",
  message: ({ until }) =>
    until
      ? `Your account has been deactivated until ${until}. Contact your workspace admin.`
      : DEACTIVATED_MESSAGE,
};

/**
 * Every status, in the order of the database enum `user_status` (a new one goes last: enum
 * values are only ever appended, by a generated migration).
 */
const STATUS_REGISTRY = {
  pending: {
    label: "Pending",
    tone: "amber",
    tab: "pending",
    holdsSeat: false,
    invitable: false,
    signIn: {
      code: "pending",
      message: () => "Your request to join is waiting for approval. Contact your workspace admin.",
    },
  },
  invited: {
    label: "Invited",
    tone: "blue",
    tab: "active",
    holdsSeat: true,
    invitable: true,
    signIn: {
      code: "invited",
      message: () => "Accept the invitation we emailed you to set your password, then sign in.",
    },
  },
  active: {
    label: "Active",
    tone: "green",
    tab: "active",
    holdsSeat: true,
    invitable: false,
    signIn: null,
  },
  inactive: {
    label: "Inactive",
    tone: "grey",
    tab: "inactive",
    holdsSeat: false,
    invitable: true,
    signIn: DEACTIVATED,
  },
  archived: {
    label: "Archived",
    tone: "violet",
    tab: "archived",
    holdsSeat: false,
    invitable: false,
    signIn: DEACTIVATED,
  },
  rejected: {
    label: "Rejected",
    tone: "red",
    tab: "rejected",
    holdsSeat: false,
    invitable: false,
    signIn: {
      code: "rejected",
      message: () => "Your request to join was not approved. Contact your workspace admin.",
    },
  },
} as const satisfies Record<string, StatusSpec>;

export type UserStatus = keyof typeof STATUS_REGISTRY;

export const STATUSES: Readonly<Record<UserStatus, StatusSpec>> = STATUS_REGISTRY;
export const TAB_SPECS: Readonly<Record<Tab, TabSpec>> = TAB_REGISTRY;

export const USER_STATUSES = Object.keys(STATUS_REGISTRY) as [UserStatus, ...UserStatus[]];
export const TABS = Object.keys(TAB_REGISTRY) as [Tab, ...Tab[]];

/** An object with one entry per key, each value computed from its key. */
function record<K extends string, V>(keys: readonly K[], value: (key: K) => V): Record<K, V> {
  return Object.fromEntries(keys.map((k) => [k, value(k)])) as Record<K, V>;
}

export const TAB_LABELS: Record<Tab, string> = record(TABS, (t) => TAB_REGISTRY[t].label);

/**
 * Which statuses each tab shows (invited users sit in Active with an "Invited" badge): the
 * status named like the tab first, then the others in enum order.
 */
export const TAB_STATUSES: Record<Tab, readonly UserStatus[]> = record(TABS, (t) =>
  USER_STATUSES.filter((s) => STATUSES[s].tab === t).sort(
    (a, b) => Number(b === t) - Number(a === t),
  ),
);

/** The value of the generated column users.tab for each tab: its position. */
export const TAB_CODES: Record<Tab, number> = record(TABS, (t) => TABS.indexOf(t));

/** The tab that lists a user in this status. */
export function tabOf(status: UserStatus): Tab {
  return STATUSES[status].tab;
}

export const STATUS_LABELS: Record<UserStatus, string> = record(
  USER_STATUSES,
  (s) => STATUSES[s].label,
);

/** Statuses that occupy a seat. */
export const SEAT_STATUSES: readonly UserStatus[] = USER_STATUSES.filter(
  (s) => STATUSES[s].holdsSeat,
);

/** Statuses in which an invitation link may still be accepted. */
export const INVITABLE_STATUSES: readonly UserStatus[] = USER_STATUSES.filter(
  (s) => STATUSES[s].invitable,
);

/**
 * The expression of the generated column `users.tab`, from the registry: statuses tab by tab,
 * the last as the `else` (the form migration 0007 wrote, so that the live column stays equal).
 * db/schema.ts uses it; model-sync.test.ts checks the live database's expression against it.
 */
export function tabColumnExpression(column = "status"): string {
  const pairs = TABS.flatMap((t) => TAB_STATUSES[t].map((s) => [s, TAB_CODES[t]] as const));
  const last = pairs.at(-1);
  if (!last) throw new Error("No statuses");
  const whens = pairs.slice(0, -1).map(([s, code]) => `when '${s}' then ${code}`);
  return `case ${column} ${whens.join(" ")} else ${last[1]} end`;
}

/**
 * The statuses an identity provider sees through SCIM; archived and rejected users answer 404
 * (a SCIM DELETE archives). db/schema.ts indexes the users in them for SCIM's pages.
 */
export const SCIM_STATUSES = [
  "pending",
  "invited",
  "active",
  "inactive",
] as const satisfies readonly UserStatus[];

/** `<column> in ('pending', …)`: the condition of SCIM_STATUSES, for SQL and the partial index. */
export function scimStatusesCondition(column = "status"): string {
  return `${column} in (${SCIM_STATUSES.map((s) => `'${s}'`).join(", ")})`;
}
