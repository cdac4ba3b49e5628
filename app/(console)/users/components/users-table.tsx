"use client";

import { useTable } from "@tanstack/react-table";
import { useMemo, useState } from "react";
import { DataTable } from "@/components/data-table/data-table";
import { DataTablePageSize } from "@/components/data-table/page-size";
import { DataTablePagination } from "@/components/data-table/pagination";
import { usePendingNavigation } from "@/components/data-table/pending";
import { useLifecycleRules } from "@/components/lifecycle-rules";
import { formatCount, formatRange } from "@/lib/format";
import type { Total, UserRow } from "@/lib/users/queries";
import {
  LAST_PAGE,
  type Tab,
  type UsersView,
  usersFilterOf,
  usersViewQuery,
} from "@/lib/users/view";
import type { Person } from "@/model/permissions";
import { PAGE_SIZES } from "@/model/view";
import { countMatchingUsers } from "../actions";
import { useActionFlow } from "./action-flow-host";
import { actionsForRows, actionsForTab, noBulkActionsReason } from "./available-actions";
import { useColumnChoice } from "./column-choice";
import { SelectionBar } from "./selection-bar";
import { getUserColumns, SORTABLE, USER_COLUMN_LAYOUT, userTableFeatures } from "./user-columns";
import { UsersEmptyState } from "./users-empty-state";
import {
  selectedCount as countSelected,
  selectionToSend,
  useRowSelection,
  useUsersSelection,
} from "./users-selection";
import { totalText } from "./users-tabs";

export function UsersTable({
  view,
  rows,
  total: counted,
  prev,
  next,
  start,
  elsewhere,
  actor,
  retentionDays = null,
}: {
  view: UsersView;
  rows: UserRow[];
  /** Capped past 1,000 unless the view is a whole tab; "Select all" asks for the exact number. */
  total: Total;
  /** Cursors of the previous and next pages; null at either end. */
  prev: string | null;
  next: string | null;
  /** Where this page starts in the view (0-based), for "26–50 of 15,222"; null: not known. */
  start: number | null;
  /** Other tabs where a search that found nothing here has matches. */
  elsewhere: ({ tab: Tab } & Total)[];
  /** The retention policy's days when it is on (archived users due within a week say so). */
  retentionDays?: number | null;
  actor: Person;
}) {
  const rules = useLifecycleRules();
  const { pending } = usePendingNavigation();
  const selection = useUsersSelection();
  const [exactTotal, setExactTotal] = useState<number | null>(null);
  const total = exactTotal ?? counted.n;
  const { openFlow, fallbackFocus } = useActionFlow();
  const { cols, columnVisibility, viewOptions } = useColumnChoice(view.tab);

  const columns = useMemo(
    () =>
      getUserColumns({
        rules,
        actor,
        retentionDays,
        onAction: (row, action, trigger) =>
          openFlow({
            action,
            selection: { kind: "ids", targets: [{ id: row.id, expectedStatus: row.status }] },
            count: 1,
            onlyName: row.name,
            trigger,
          }),
      }),
    [rules, actor, openFlow, retentionDays],
  );

  const { rowSelection, onRowSelectionChange } = useRowSelection(rows);

  const table = useTable({
    features: userTableFeatures,
    columns,
    data: rows,
    getRowId: (row) => row.id,
    state: { rowSelection, columnVisibility },
    onRowSelectionChange,
    enableRowSelection: true,
  });

  const matching = selection.allMatching;
  const picked = [...selection.picked.values()];
  const selectedCount = countSelected(selection, total);
  const pageAllSelected = rows.length > 0 && rows.every((r) => selection.isSelected(r.id));

  const bulkActions = matching
    ? actionsForTab(rules, actor.role, view.tab)
    : actionsForRows(rules, actor, picked);
  const onlyOne = !matching && picked.length === 1 ? (picked[0]?.name ?? null) : null;

  const totalLabel = exactTotal !== null ? formatCount(exactTotal) : totalText(counted);

  async function selectAllMatching() {
    selection.selectAllMatching();
    if (!counted.capped || exactTotal !== null) return;
    const result = await countMatchingUsers(usersFilterOf(view));
    if (result.ok) setExactTotal(result.count);
  }

  const current = { ...view, cols };
  const pageHref = (cursor: string | null) => `/users${usersViewQuery({ ...current, cursor })}`;

  return (
    <div>
      <SelectionBar
        total={total}
        selectedCount={selectedCount}
        pageAllSelected={pageAllSelected}
        pageSize={rows.length}
        allMatching={matching}
        actions={bulkActions}
        noActionsReason={
          !matching && bulkActions.length === 0 && picked.length > 0
            ? noBulkActionsReason(actor, picked)
            : null
        }
        totalLabel={totalLabel}
        onSelectAllMatching={selectAllMatching}
        onClear={selection.clear}
        onAction={(action, trigger) =>
          openFlow({
            action,
            selection: selectionToSend(selection, usersFilterOf(view)),
            count: selectedCount,
            onlyName: onlyOne,
            trigger,
          })
        }
      >
        {viewOptions}
      </SelectionBar>

      <DataTable
        table={table}
        label="Users"
        layout={USER_COLUMN_LAYOUT}
        busy={pending}
        regionRef={fallbackFocus}
        sort={(id) => {
          const key = SORTABLE[id];
          if (!key) return null;
          const active = key === view.sort;
          return {
            state: active ? view.dir : null,
            href: `/users${usersViewQuery({
              ...current,
              sort: key,
              dir: active && view.dir === "asc" ? "desc" : "asc",
              cursor: null,
            })}`,
          };
        }}
        empty={<UsersEmptyState view={view} elsewhere={elsewhere} />}
      />

      {total === 0 ? (
        <div className="mt-3 h-9" />
      ) : (
        <DataTablePagination
          summary={formatRange(start, rows.length, totalLabel)}
          links={{
            first: prev ? pageHref(null) : null,
            previous: prev ? pageHref(prev) : null,
            next: next ? pageHref(next) : null,
            last: next ? pageHref(LAST_PAGE) : null,
          }}
          pageSize={
            <DataTablePageSize
              value={view.size}
              options={PAGE_SIZES.map((size) => ({
                size,
                href: `/users${usersViewQuery({ ...current, size, cursor: null })}`,
              }))}
            />
          }
        />
      )}
    </div>
  );
}
