import { Users } from "lucide-react";
import Link from "next/link";
import { DataTableEmpty } from "@/components/data-table/empty-state";
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
    <DataTableEmpty icon={Users} title={`${title}.`} body={body}>
      {elsewhere.length > 0 ? (
        <ul className="mt-3 flex flex-wrap justify-center gap-x-4 gap-y-1 text-sm">
          {elsewhere.map((m) => (
            <li key={m.tab}>
              <Link
                href={`/users${usersViewQuery({ ...view, tab: m.tab, cursor: null })}`}
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
    </DataTableEmpty>
  );
}
