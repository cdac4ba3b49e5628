import Link from "next/link";
import type { Total } from "@/lib/users/queries";
import { TAB_LABELS, TABS, type Tab, type UsersView, usersViewQuery } from "@/lib/users/view";

/** "1,000+" for a capped count. */
export function totalText(total: Total): string {
  return `${total.n.toLocaleString("en")}${total.capped ? "+" : ""}`;
}

/** `counts` is null while they stream in; during a search they are the matches in each tab. */
export function UsersTabs({
  view,
  counts,
}: {
  view: UsersView;
  counts: Record<Tab, Total> | null;
}) {
  return (
    <div
      role="tablist"
      aria-label="User status"
      className="mb-4 flex gap-1 overflow-x-auto border-b border-zinc-200 dark:border-zinc-800"
    >
      {TABS.map((tab) => {
        const selected = tab === view.tab;
        return (
          <Link
            key={tab}
            role="tab"
            aria-selected={selected}
            href={`/users${usersViewQuery(
              view.q
                ? { tab, q: view.q, size: view.size, cols: view.cols }
                : { tab, size: view.size, cols: view.cols },
            )}`}
            className={`-mb-px flex items-center gap-2 whitespace-nowrap border-b-2 px-3 py-2 text-sm font-medium ${
              selected
                ? "border-indigo-600 text-indigo-700 dark:border-indigo-400 dark:text-indigo-300"
                : "border-transparent text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
            }`}
          >
            {TAB_LABELS[tab]}{" "}
            {counts ? (
              <span className="rounded-full bg-zinc-100 px-2 py-0.5 text-xs tabular-nums text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
                {totalText(counts[tab])}
              </span>
            ) : (
              <span
                aria-hidden="true"
                className="h-5 w-8 animate-pulse rounded-full bg-zinc-100 dark:bg-zinc-800"
              />
            )}
          </Link>
        );
      })}
    </div>
  );
}
