import { ArrowDown, ArrowUp, ChevronsUpDown } from "lucide-react";
import { IntentLink } from "@/components/intent-link";
import { cx } from "@/components/ui/cx";

export type SortState = "asc" | "desc" | null;

/** `aria-sort` of a column header: only the sorted column carries it. */
export function ariaSort(state: SortState): "ascending" | "descending" | undefined {
  return state === "asc" ? "ascending" : state === "desc" ? "descending" : undefined;
}

/**
 * A sortable header: a link to the same view sorted by this column (server-side sort, so it works
 * before the page hydrates). Its accessible name is the column's label.
 */
export function DataTableColumnHeader({
  label,
  state,
  href,
}: {
  label: string;
  state: SortState;
  href: string;
}) {
  const Icon = state === "asc" ? ArrowUp : state === "desc" ? ArrowDown : ChevronsUpDown;
  return (
    <IntentLink
      href={href}
      scroll={false}
      className={cx(
        "inline-flex items-center gap-1 rounded hover:text-zinc-900 dark:hover:text-zinc-100",
        state && "text-zinc-900 dark:text-zinc-100",
      )}
    >
      {label}
      <Icon aria-hidden="true" className={cx("size-3.5", !state && "opacity-40")} />
    </IntentLink>
  );
}
