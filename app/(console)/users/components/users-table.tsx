"use client";

import type { ColumnVisibilityState, RowSelectionState, Updater } from "@tanstack/react-table";
import { useTable } from "@tanstack/react-table";
import { useRouter } from "next/navigation";
import { useQueryStates } from "nuqs";
import { lazy, Suspense, useCallback, useMemo, useRef, useState } from "react";
import { DataTable } from "@/components/data-table/data-table";
import { DataTablePageSize } from "@/components/data-table/page-size";
import { DataTablePagination } from "@/components/data-table/pagination";
import { usePendingNavigation } from "@/components/data-table/pending";
import { DataTableViewOptions } from "@/components/data-table/view-options";
import { useLifecycleRules } from "@/components/lifecycle-rules";
import {
  DEFAULT_HIDDEN_COLUMNS,
  HIDEABLE_COLUMNS,
  type HideableColumn,
  PAGE_SIZES,
} from "@/lib/constants";
import type { Selection } from "@/lib/users/action-types";
import type { LifecycleAction } from "@/lib/users/lifecycle";
import type { Person } from "@/lib/users/permissions";
import type { Total, UserRow } from "@/lib/users/queries";
import {
  hiddenColumns,
  LAST_PAGE,
  type Tab,
  type UsersView,
  usersFilterOf,
  usersViewParsers,
  usersViewQuery,
} from "@/lib/users/view";
import { countMatchingUsers } from "../actions";
import type { FlowRequest } from "./action-flow";
import { actionsForRows, actionsForTab, noBulkActionsReason } from "./available-actions";
import { SelectionBar } from "./selection-bar";
import {
  COLUMN_LABELS,
  columnsOffIn,
  getUserColumns,
  SORTABLE,
  USER_COLUMN_LAYOUT,
  userTableFeatures,
} from "./user-columns";
import { UsersEmptyState } from "./users-empty-state";
import { useUsersSelection } from "./users-selection";
import { totalText } from "./users-tabs";

const count = new Intl.NumberFormat("en");

// The dialogs load when an action is first chosen, keeping them out of the first-load JS.
const ActionFlow = lazy(() => import("./action-flow").then((m) => ({ default: m.ActionFlow })));

export function UsersTable({
  view,
  rows,
  total: counted,
  prev,
  next,
  elsewhere,
  actor,
}: {
  view: UsersView;
  rows: UserRow[];
  /** Capped past 1,000 unless the view is a whole tab; "Select all" asks for the exact number. */
  total: Total;
  /** Cursors of the previous and next pages; null at either end. */
  prev: string | null;
  next: string | null;
  /** Other tabs where a search that found nothing here has matches. */
  elsewhere: ({ tab: Tab } & Total)[];
  actor: Person;
}) {
  const rules = useLifecycleRules();
  const _router = useRouter();
  const { pending } = usePendingNavigation();
  const selection = useUsersSelection();
  const [exactTotal, setExactTotal] = useState<number | null>(null);
  const total = exactTotal ?? counted.n;
  const [request, setRequest] = useState<FlowRequest | null>(null);
  const regionRef = useRef<HTMLElement>(null);
  const requests = useRef(0);
  // Showing a column is a URL change the server needn't see: shallow.
  const [{ cols }, setQuery] = useQueryStates(
    { cols: usersViewParsers.cols },
    { shallow: true, scroll: false, history: "replace" },
  );
  const hidden = hiddenColumns({ cols });
  const offHere = columnsOffIn(view.tab);

  const openFlow = useCallback(
    (
      action: LifecycleAction,
      sel: Selection,
      n: number,
      onlyName: string | null,
      trigger: HTMLElement | null,
    ) => {
      requests.current += 1;
      setRequest({ key: requests.current, action, selection: sel, count: n, onlyName, trigger });
    },
    [],
  );

  const columns = useMemo(
    () =>
      getUserColumns({
        rules,
        actor,
        onAction: (row, action, trigger) =>
          openFlow(
            action,
            { kind: "ids", targets: [{ id: row.id, expectedStatus: row.status }] },
            1,
            row.name,
            trigger,
          ),
      }),
    [rules, actor, openFlow],
  );

  const columnVisibility = useMemo<ColumnVisibilityState>(
    () =>
      Object.fromEntries(
        HIDEABLE_COLUMNS.map((c) => [c, !hidden.includes(c) && !offHere.includes(c)]),
      ),
    [hidden, offHere],
  );

  const rowSelection = useMemo<RowSelectionState>(
    () =>
      Object.fromEntries(rows.filter((r) => selection.isSelected(r.id)).map((r) => [r.id, true])),
    [rows, selection],
  );

  const onRowSelectionChange = (updater: Updater<RowSelectionState>) => {
    const next = typeof updater === "function" ? updater(rowSelection) : updater;
    const on = rows.filter((r) => next[r.id] && !rowSelection[r.id]);
    const off = rows.filter((r) => !next[r.id] && rowSelection[r.id]);
    if (on.length) selection.setChecked(on, true);
    if (off.length) selection.setChecked(off, false);
  };

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
  const selectedCount = matching
    ? Math.max(0, total - selection.excluded.size)
    : selection.picked.size;
  const pageAllSelected = rows.length > 0 && rows.every((r) => selection.isSelected(r.id));

  function currentSelection(): Selection {
    if (matching) {
      return { kind: "filter", filter: usersFilterOf(view), excludeIds: [...selection.excluded] };
    }
    return {
      kind: "ids",
      targets: picked.map((r) => ({ id: r.id, expectedStatus: r.status })),
    };
  }

  function toggleColumn(col: HideableColumn, visible: boolean) {
    const next = visible ? hidden.filter((c) => c !== col) : [...hidden, col];
    const ordered = HIDEABLE_COLUMNS.filter((c) => next.includes(c));
    void setQuery({
      cols: ordered.join(",") === DEFAULT_HIDDEN_COLUMNS.join(",") ? null : ordered,
    });
  }

  const bulkActions = matching
    ? actionsForTab(rules, actor.role, view.tab)
    : actionsForRows(rules, actor, picked);
  const onlyOne = !matching && picked.length === 1 ? (picked[0]?.name ?? null) : null;

  const totalLabel = exactTotal !== null ? count.format(exactTotal) : totalText(counted);

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
          openFlow(action, currentSelection(), selectedCount, onlyOne, trigger)
        }
      >
        <DataTableViewOptions
          columns={HIDEABLE_COLUMNS.filter((c) => !offHere.includes(c)).map((id) => ({
            id,
            label: COLUMN_LABELS[id],
          }))}
          hidden={hidden.filter((c) => !offHere.includes(c))}
          alwaysVisible={1}
          onToggle={toggleColumn}
        />
      </SelectionBar>

      <DataTable
        table={table}
        label="Users"
        layout={USER_COLUMN_LAYOUT}
        busy={pending}
        regionRef={regionRef}
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
          summary={`${count.format(rows.length)} of ${totalLabel}`}
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

      {request ? (
        <Suspense fallback={null}>
          <ActionFlow
            key={request.key}
            request={request}
            role={actor.role}
            fallbackFocus={regionRef}
            onClosed={() => setRequest(null)}
            onDone={selection.clear}
          />
        </Suspense>
      ) : null}
    </div>
  );
}
