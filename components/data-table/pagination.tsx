import { ChevronLeft, ChevronRight, ChevronsLeft, ChevronsRight } from "lucide-react";
import type { ReactNode } from "react";
import { IntentLink } from "@/components/intent-link";
import { cx } from "@/components/ui/cx";

/** Where each pagination link goes; null when there is no such page from here. */
export type PageLinks = {
  first: string | null;
  previous: string | null;
  next: string | null;
  last: string | null;
};

const LINKS = [
  { key: "first", label: "First page", Icon: ChevronsLeft },
  { key: "previous", label: "Previous page", Icon: ChevronLeft },
  { key: "next", label: "Next page", Icon: ChevronRight },
  { key: "last", label: "Last page", Icon: ChevronsRight },
] as const;

/**
 * The pager under a table: a summary ("26–50 of 144"), an optional page-size control, and
 * First / Previous / Next / Last as links (keyset or numbered pages alike: the caller makes the
 * hrefs). A missing page is a disabled link, so the row never changes shape.
 */
export function DataTablePagination({
  summary,
  links,
  pageSize,
  label = "Pagination",
}: {
  summary: ReactNode;
  links: PageLinks;
  pageSize?: ReactNode;
  label?: string;
}) {
  return (
    <nav
      aria-label={label}
      className="mt-3 flex min-h-9 flex-wrap items-center justify-between gap-x-4 gap-y-2 text-sm"
    >
      <p className="tabular-nums text-zinc-600 dark:text-zinc-400">{summary}</p>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        {pageSize}
        <div className="flex items-center gap-1">
          {LINKS.map(({ key, label: name, Icon }) => {
            const href = links[key];
            const cls =
              "inline-flex size-8 items-center justify-center rounded-md border border-zinc-300 dark:border-zinc-700";
            return href ? (
              <IntentLink
                key={key}
                href={href}
                scroll={false}
                aria-label={name}
                title={name}
                className={cx(cls, "hover:bg-zinc-100 dark:hover:bg-zinc-800")}
              >
                <Icon aria-hidden="true" className="size-4" />
              </IntentLink>
            ) : (
              <span
                key={key}
                aria-disabled="true"
                title={name}
                className={cx(cls, "text-zinc-400 dark:text-zinc-600")}
              >
                <Icon aria-hidden="true" className="size-4" />
                <span className="sr-only">{name}</span>
              </span>
            );
          })}
        </div>
      </div>
    </nav>
  );
}
