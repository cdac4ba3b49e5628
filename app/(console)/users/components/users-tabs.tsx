import Link from "next/link";
import { TAB_LABELS, TABS, type Tab, type UsersView, usersViewQuery } from "@/lib/users/view";

export function UsersTabs({ view, counts }: { view: UsersView; counts: Record<Tab, number> }) {
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
            href={`/users${usersViewQuery({ tab, size: view.size, cols: view.cols })}`}
            className={`-mb-px flex items-center gap-2 whitespace-nowrap border-b-2 px-3 py-2 text-sm font-medium ${
              selected
                ? "border-indigo-600 text-indigo-700 dark:border-indigo-400 dark:text-indigo-300"
                : "border-transparent text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
            }`}
          >
            {TAB_LABELS[tab]}{" "}
            <span className="rounded-full bg-zinc-100 px-2 py-0.5 text-xs tabular-nums text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
              {counts[tab]}
            </span>
          </Link>
        );
      })}
    </div>
  );
}
