import { Users } from "lucide-react";
import { DataTableEmpty } from "@/components/data-table/empty-state";
import { IntentLink } from "@/components/intent-link";
import { formatCount } from "@/lib/format";
import type { Total } from "@/lib/users/queries";
import { TAB_LABELS, type Tab, type UsersView, usersViewQuery } from "@/lib/users/view";
import { TAB_SPECS } from "@/model/statuses";

export function UsersEmptyState({
  view,
  elsewhere = [],
}: {
  view: UsersView;
  /** Tabs where the same search has matches, said as "2 matches in Inactive". */
  elsewhere?: ({ tab: Tab } & Total)[];
}) {
  const filtered =
    view.q !== "" ||
    view.roles.length > 0 ||
    view.neverSignedIn ||
    view.lastSignInBefore !== null ||
    view.accessEnding ||
    Boolean(view.dormant);
  const { title, body } = filtered
    ? {
        title: "No users match this view",
        body: "Try another search, or clear the filters to see everyone in this tab.",
      }
    : TAB_SPECS[view.tab].empty;
  return (
    <DataTableEmpty icon={Users} title={`${title}.`} body={body}>
      {elsewhere.length > 0 ? (
        <ul className="mt-3 flex flex-wrap justify-center gap-x-4 gap-y-1 text-sm">
          {elsewhere.map((m) => (
            <li key={m.tab}>
              <IntentLink
                href={`/users${usersViewQuery({ ...view, tab: m.tab, cursor: null })}`}
                className="text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300"
              >
                {formatCount(m.n)}
                {m.capped ? "+" : ""} {m.n === 1 && !m.capped ? "match" : "matches"} in{" "}
                {TAB_LABELS[m.tab]}
              </IntentLink>
            </li>
          ))}
        </ul>
      ) : null}
    </DataTableEmpty>
  );
}
