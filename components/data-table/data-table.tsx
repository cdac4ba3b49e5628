"use client";

import type { ReactTable, RowData } from "@tanstack/react-table";
import type { ReactNode, Ref } from "react";
import { cx } from "@/components/ui/cx";
import { ariaSort, DataTableColumnHeader, type SortState } from "./column-header";
import type { CardSlot, ColumnLayout, DataTableFeatures } from "./features";

/** On narrow screens a row is a card: checkbox, then title, subtitle and badge, menu on the right. */
const CARD_CELL: Record<CardSlot, string> = {
  select: "max-sm:col-start-1 max-sm:row-span-4 max-sm:row-start-1 max-sm:pt-0.5",
  title: "max-sm:col-start-2 max-sm:row-start-1 max-sm:min-w-0",
  subtitle: "max-sm:col-start-2 max-sm:row-start-2 max-sm:min-w-0",
  badge: "max-sm:col-start-2 max-sm:row-start-3 max-sm:pt-1",
  meta: "max-sm:col-start-2 max-sm:row-start-4 max-sm:pt-1 max-sm:text-xs max-sm:text-zinc-600 dark:max-sm:text-zinc-400",
  // After the numbered lines, one per detail, in column order (grid auto-placement).
  detail: "max-sm:col-start-2 max-sm:pt-1 max-sm:text-sm max-sm:empty:hidden",
  menu: "max-sm:col-start-3 max-sm:row-span-4 max-sm:row-start-1",
  hidden: "max-sm:hidden",
};

export type HeaderSort = { state: SortState; href: string };

/**
 * One console table: header (sortable columns are links, with aria-sort), rows, and the same rows
 * as cards below the `sm` breakpoint. Paging, sorting and filtering happen on the server; the
 * caller passes the hrefs.
 */
export function DataTable<TData extends RowData>({
  table,
  label,
  layout,
  sort,
  empty,
  busy = false,
  caption,
  regionRef,
}: {
  table: ReactTable<DataTableFeatures, TData>;
  label: string;
  layout: Record<string, ColumnLayout>;
  /** The sort link and state of a column, or null when it doesn't sort. */
  sort?: (columnId: string, label: string) => HeaderSort | null;
  empty: ReactNode;
  busy?: boolean;
  caption?: string;
  regionRef?: Ref<HTMLElement>;
}) {
  const rows = table.getRowModel().rows;
  // A table without checkboxes (the audit log) gives the card's first column no width.
  const selectable = Object.values(layout).some((l) => l.card === "select");
  return (
    <section
      ref={regionRef}
      tabIndex={-1}
      aria-label={label}
      aria-busy={busy}
      className={cx(
        "relative rounded-lg border border-zinc-200 outline-none transition-opacity focus-visible:ring-2 focus-visible:ring-indigo-500/40 sm:overflow-x-auto dark:border-zinc-800",
        busy && "opacity-60",
      )}
    >
      {rows.length === 0 ? (
        empty
      ) : (
        <table className="w-full text-left text-sm max-sm:block">
          {caption ? <caption className="sr-only">{caption}</caption> : null}
          <thead
            className={cx(
              "bg-zinc-50 text-xs font-medium uppercase tracking-wide text-zinc-600 max-sm:block dark:bg-zinc-900 dark:text-zinc-400",
              !selectable && "max-sm:sr-only",
            )}
          >
            {table.getHeaderGroups().map((group) => (
              <tr
                key={group.id}
                className="h-10 max-sm:flex max-sm:items-center max-sm:gap-2 max-sm:px-3"
              >
                {group.headers.map((header) => {
                  const id = header.column.id;
                  const slot = layout[id]?.card ?? "hidden";
                  const def = header.column.columnDef.header;
                  const text = typeof def === "string" ? def : null;
                  const s = text && sort ? sort(id, text) : null;
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-sort={s ? ariaSort(s.state) : undefined}
                      className={cx(
                        "whitespace-nowrap px-3 font-medium max-sm:px-0",
                        layout[id]?.className,
                        slot === "select" || slot === "title" ? "" : "max-sm:hidden",
                      )}
                    >
                      {s && text ? (
                        <DataTableColumnHeader label={text} state={s.state} href={s.href} />
                      ) : (
                        <table.FlexRender header={header} />
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody className="max-sm:block">
            {rows.map((row) => (
              <tr
                key={row.id}
                aria-selected={row.getCanSelect() ? row.getIsSelected() : undefined}
                className={cx(
                  "h-12 border-t border-zinc-100 max-sm:grid max-sm:h-auto max-sm:items-center max-sm:px-3 max-sm:py-3 dark:border-zinc-800/70",
                  selectable
                    ? "max-sm:grid-cols-[1.75rem_minmax(0,1fr)_auto] max-sm:gap-x-2"
                    : "max-sm:grid-cols-[0_minmax(0,1fr)_auto] max-sm:first:border-t-0",
                  row.getIsSelected()
                    ? "bg-indigo-50/70 dark:bg-indigo-950/30"
                    : "hover:bg-zinc-50 dark:hover:bg-zinc-900/50",
                )}
              >
                {row.getVisibleCells().map((cell) => {
                  const l = layout[cell.column.id];
                  return (
                    <td
                      key={cell.id}
                      className={cx(
                        "px-3 max-sm:block max-sm:px-0",
                        l?.wrap ? "whitespace-normal" : "whitespace-nowrap",
                        l?.className,
                        CARD_CELL[l?.card ?? "hidden"],
                      )}
                    >
                      {l?.card === "detail" && l.cardLabel && hasValue(cell.getValue()) ? (
                        <span className="font-medium text-zinc-700 sm:hidden dark:text-zinc-300">
                          {l.cardLabel}:{" "}
                        </span>
                      ) : null}
                      <table.FlexRender cell={cell} />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Whether a cell has something to show (a detail line without one is left out). */
function hasValue(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === "string") return value.trim() !== "";
  if (typeof value === "object" && "counts" in value) {
    return Object.values((value as { counts: Record<string, number> }).counts).some((n) => n > 0);
  }
  return true;
}
