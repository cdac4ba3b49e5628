"use client";

import { Settings2 } from "lucide-react";
import { buttonClass } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuCheckboxItem,
  DropdownMenuContent,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";

/** The "Columns" menu: which hideable columns show. Always-visible columns are counted too. */
export function DataTableViewOptions<C extends string>({
  columns,
  hidden,
  alwaysVisible = 1,
  onToggle,
}: {
  columns: readonly { id: C; label: string }[];
  hidden: readonly C[];
  alwaysVisible?: number;
  onToggle: (column: C, visible: boolean) => void;
}) {
  const total = columns.length + alwaysVisible;
  const shown = columns.filter((c) => !hidden.includes(c.id)).length + alwaysVisible;
  return (
    <DropdownMenu>
      <DropdownMenuTrigger className={buttonClass("secondary", "sm")}>
        <Settings2 aria-hidden="true" className="size-4" />
        Columns
        {shown < total ? (
          <span className="rounded bg-zinc-100 px-1 text-xs tabular-nums text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
            {shown}/{total}
          </span>
        ) : null}
      </DropdownMenuTrigger>
      <DropdownMenuContent>
        <DropdownMenuLabel>Show columns</DropdownMenuLabel>
        <DropdownMenuSeparator />
        {columns.map((col) => (
          <DropdownMenuCheckboxItem
            key={col.id}
            checked={!hidden.includes(col.id)}
            // Keep the menu open, so several columns can be toggled in a row.
            onSelect={(e) => e.preventDefault()}
            onCheckedChange={(checked) => onToggle(col.id, checked === true)}
          >
            {col.label}
          </DropdownMenuCheckboxItem>
        ))}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
