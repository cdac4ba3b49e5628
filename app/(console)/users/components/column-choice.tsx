"use client";

import type { ColumnVisibilityState } from "@tanstack/react-table";
import { useQueryStates } from "nuqs";
import { useMemo } from "react";
import { DataTableViewOptions } from "@/components/data-table/view-options";
import { hiddenColumns, type Tab, usersViewParsers } from "@/lib/users/view";
import { DEFAULT_HIDDEN_COLUMNS, HIDEABLE_COLUMNS, type HideableColumn } from "@/model/view";
import { COLUMN_LABELS, columnsOffIn } from "./user-columns";

/**
 * The columns the viewer chose to show, kept in the URL (`cols`). Showing a column is a URL change
 * the server needn't see: shallow.
 */
export function useColumnChoice(tab: Tab) {
  const [{ cols }, setQuery] = useQueryStates(
    { cols: usersViewParsers.cols },
    { shallow: true, scroll: false, history: "replace" },
  );
  const hidden = hiddenColumns({ cols });
  const offHere = columnsOffIn(tab);

  const columnVisibility = useMemo<ColumnVisibilityState>(
    () =>
      Object.fromEntries(
        HIDEABLE_COLUMNS.map((c) => [c, !hidden.includes(c) && !offHere.includes(c)]),
      ),
    [hidden, offHere],
  );

  function toggleColumn(col: HideableColumn, visible: boolean) {
    const next = visible ? hidden.filter((c) => c !== col) : [...hidden, col];
    const ordered = HIDEABLE_COLUMNS.filter((c) => next.includes(c));
    void setQuery({
      cols: ordered.join(",") === DEFAULT_HIDDEN_COLUMNS.join(",") ? null : ordered,
    });
  }

  const viewOptions = (
    <DataTableViewOptions
      columns={HIDEABLE_COLUMNS.filter((c) => !offHere.includes(c)).map((id) => ({
        id,
        label: COLUMN_LABELS[id],
      }))}
      hidden={hidden.filter((c) => !offHere.includes(c))}
      alwaysVisible={1}
      onToggle={toggleColumn}
    />
  );

  return { cols, columnVisibility, viewOptions };
}
