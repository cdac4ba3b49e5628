import Link from "next/link";
import type { Total } from "@/lib/users/queries";
import { TAB_LABELS, type Tab, type UsersView, usersViewQuery } from "@/lib/users/view";

/** What each tab is for, said when it is empty. */
const EMPTY: Record<Tab, { title: string; body: string }> = {
  active: {
    title: "No active users",
    body: "Active users can sign in. People you invite appear here with an “Invited” badge until they accept.",
  },
  pending: {
    title: "No pending requests",
    body: "People who ask to join wait here until an admin or manager approves or rejects them.",
  },
  inactive: {
    title: "No inactive users",
    body: "Deactivated users can't sign in; their data is kept and they can be reactivated.",
  },
  archived: {
    title: "No archived users",
    body: "Archived users can't sign in and keep their data until restored.",
  },
  rejected: {
    title: "No rejected requests",
    body: "Rejected requests are kept here, so they can still be approved later.",
  },
};

export function UsersEmptyState({
  view,
  elsewhere = [],
}: {
  view: UsersView;
  /** Tabs where the same search has matches, said as "2 matches in Inactive". */
  elsewhere?: ({ tab: Tab } & Total)[];
}) {
  const filtered =
    view.q !== "" || view.roles.length > 0 || view.neverSignedIn || view.lastSignInBefore !== null;
  const { title, body } = filtered
    ? {
        title: "No users match this view",
        body: "Try another search, or clear the filters to see everyone in this tab.",
      }
    : EMPTY[view.tab];
  return (
    <div className="flex flex-col items-center justify-center px-6 py-16 text-center">
      <svg
        viewBox="0 0 24 24"
        aria-hidden="true"
        className="size-10 fill-none stroke-zinc-300 dark:stroke-zinc-700"
      >
        <circle cx="9" cy="8" r="3.5" strokeWidth="1.5" />
        <path d="M2.5 19.5c.8-3.3 3.4-5 6.5-5s5.7 1.7 6.5 5" strokeWidth="1.5" />
        <path d="M16 5.5a3 3 0 010 5.5M18.5 14.5c1.4.7 2.4 2.4 2.9 5" strokeWidth="1.5" />
      </svg>
      <h2 className="mt-3 text-sm font-semibold">{title}.</h2>
      <p className="mt-1 max-w-md text-sm text-zinc-600 dark:text-zinc-400">{body}</p>
      {elsewhere.length > 0 ? (
        <ul className="mt-3 flex flex-wrap justify-center gap-x-4 gap-y-1 text-sm">
          {elsewhere.map((m) => (
            <li key={m.tab}>
              <Link
                href={`/users${usersViewQuery({ ...view, tab: m.tab, cursor: undefined })}`}
                className="text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300"
              >
                {m.n.toLocaleString("en")}
                {m.capped ? "+" : ""} {m.n === 1 && !m.capped ? "match" : "matches"} in{" "}
                {TAB_LABELS[m.tab]}
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
