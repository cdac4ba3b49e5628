"use client";

import { useRouter } from "next/navigation";
import { useQueryStates } from "nuqs";
import { type KeyboardEvent, useOptimistic, useRef } from "react";
import { usePendingNavigation } from "@/components/data-table/pending";
import { IntentLink } from "@/components/intent-link";
import { cx } from "@/components/ui/cx";
import { formatCount } from "@/lib/format";
import type { Total } from "@/lib/users/queries";
import { usersViewParsers, usersViewQuery, usersViewUrlKeys } from "@/lib/users/view";
import { TAB_LABELS, TABS, type Tab } from "@/model/statuses";
import { tabId, USERS_PANEL_ID } from "./tab-ids";

/**
 * The status tabs (ARIA tabs pattern): arrow keys, Home and End move between them, Enter or a
 * click opens one. The new tab shows as selected at once, and the list is busy until it loads.
 */
/** "1,000+" for a capped count. */
export function totalText(total: Total): string {
  return `${formatCount(total.n)}${total.capped ? "+" : ""}`;
}

/** `counts` is null while they stream in; during a search they are the matches in each tab. */
export function UsersTabs({ counts }: { counts: Record<Tab, Total> | null }) {
  const router = useRouter();
  const { pending, startTransition } = usePendingNavigation();
  const [view] = useQueryStates(usersViewParsers, { urlKeys: usersViewUrlKeys });
  const [shown, setShown] = useOptimistic<Tab>(view.tab);
  const refs = useRef<Partial<Record<Tab, HTMLAnchorElement | null>>>({});

  const hrefOf = (tab: Tab) =>
    `/users${usersViewQuery(view.q ? { tab, q: view.q, size: view.size, cols: view.cols } : { tab, size: view.size, cols: view.cols })}`;

  const onKeyDown = (e: KeyboardEvent<HTMLAnchorElement>, tab: Tab) => {
    const i = TABS.indexOf(tab);
    const to =
      e.key === "ArrowRight"
        ? TABS[(i + 1) % TABS.length]
        : e.key === "ArrowLeft"
          ? TABS[(i - 1 + TABS.length) % TABS.length]
          : e.key === "Home"
            ? TABS[0]
            : e.key === "End"
              ? TABS[TABS.length - 1]
              : e.key === " "
                ? tab
                : undefined;
    if (!to) return;
    e.preventDefault();
    if (e.key === " ") refs.current[tab]?.click();
    else refs.current[to]?.focus();
  };

  return (
    <div
      role="tablist"
      aria-label="User status"
      aria-busy={pending}
      // On a phone the tabs wrap onto a second line: every one of them in sight, none scrolled off.
      className="mb-4 flex flex-wrap gap-x-1 border-b border-zinc-200 dark:border-zinc-800"
    >
      {TABS.map((tab) => {
        const selected = tab === shown;
        return (
          <IntentLink
            key={tab}
            ref={(el) => {
              refs.current[tab] = el;
            }}
            id={tabId(tab)}
            role="tab"
            aria-selected={selected}
            aria-controls={USERS_PANEL_ID}
            tabIndex={selected ? 0 : -1}
            href={hrefOf(tab)}
            onKeyDown={(e) => onKeyDown(e, tab)}
            onClick={(e) => {
              if (e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || e.button !== 0) return;
              e.preventDefault();
              if (tab === shown) return;
              startTransition(() => {
                setShown(tab);
                router.push(hrefOf(tab), { scroll: false });
              });
            }}
            className={cx(
              "-mb-px flex items-center gap-2 whitespace-nowrap border-b-2 px-3 py-2 text-sm font-medium max-sm:gap-1.5 max-sm:px-2 outline-none focus-visible:ring-2 focus-visible:ring-indigo-500/50",
              selected
                ? "border-indigo-600 text-indigo-700 dark:border-indigo-400 dark:text-indigo-300"
                : "border-transparent text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100",
            )}
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
          </IntentLink>
        );
      })}
    </div>
  );
}
