"use client";

import { buttonClass } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuCheckboxItem,
  DropdownMenuContent,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { HIDEABLE_COLUMNS, type HideableColumn } from "@/lib/users/view";
import { COLUMN_LABELS } from "./user-columns";

export function ColumnVisibilityMenu({
  hidden,
  onToggle,
}: {
  hidden: readonly HideableColumn[];
  onToggle: (column: HideableColumn, visible: boolean) => void;
}) {
  return (
    <DropdownMenu>
      <DropdownMenuTrigger className={buttonClass("secondary", "sm")}>
        <svg viewBox="0 0 16 16" aria-hidden="true" className="size-4 fill-none stroke-current">
          <path
            d="M2.5 3.5h11M2.5 8h11M2.5 12.5h11M6 2v3M10 6.5v3M5 11v3"
            strokeWidth="1.5"
            strokeLinecap="round"
          />
        </svg>
        Columns
        {hidden.length > 0 ? (
          <span className="rounded bg-zinc-100 px-1 text-xs tabular-nums text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
            {HIDEABLE_COLUMNS.length - hidden.length + 1}/{HIDEABLE_COLUMNS.length + 1}
          </span>
        ) : null}
      </DropdownMenuTrigger>
      <DropdownMenuContent>
        <DropdownMenuLabel>Show columns</DropdownMenuLabel>
        <DropdownMenuSeparator />
        {HIDEABLE_COLUMNS.map((col) => (
          <DropdownMenuCheckboxItem
            key={col}
            checked={!hidden.includes(col)}
            // Keep the menu open, so several columns can be toggled in a row.
            onSelect={(e) => e.preventDefault()}
            onCheckedChange={(checked) => onToggle(col, checked === true)}
          >
            {COLUMN_LABELS[col]}
          </DropdownMenuCheckboxItem>
        ))}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
