"use client";

import type { ColumnVisibilityState, RowSelectionState } from "@tanstack/react-table";
import { useTable } from "@tanstack/react-table";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState, useTransition } from "react";
import { cx } from "@/components/ui/cx";
import type { Selection } from "@/lib/users/action-types";
import type { LifecycleAction } from "@/lib/users/lifecycle";
import type { Person } from "@/lib/users/permissions";
import type { Total, UserRow } from "@/lib/users/queries";
import { filterOfView } from "@/lib/users/selection";
import {
  HIDEABLE_COLUMNS,
  type HideableColumn,
  hiddenColumns,
  LAST_PAGE,
  PAGE_SIZES,
  type Tab,
  type UsersView,
  usersViewQuery,
} from "@/lib/users/view";
import { countMatchingUsers } from "../actions";
import { ActionFlow, type FlowRequest } from "./action-flow";
import { actionsForRows, actionsForTab } from "./available-actions";
import { ColumnVisibilityMenu } from "./column-visibility-menu";
import { SelectionBar } from "./selection-bar";
import { COLUMN_CLASS, getUserColumns, SORTABLE, userTableFeatures } from "./user-columns";
import { UsersEmptyState } from "./users-empty-state";
import { totalText } from "./users-tabs";

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
  const router = useRouter();
  const [, startNavigation] = useTransition();
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({});
  const [allMatching, setAllMatching] = useState(false);
  const [exactTotal, setExactTotal] = useState<number | null>(null);
  const total = exactTotal ?? counted.n;
  const [request, setRequest] = useState<FlowRequest | null>(null);
  const [hidden, setHidden] = useState<readonly HideableColumn[]>(hiddenColumns(view));
  const regionRef = useRef<HTMLElement>(null);
  const requests = useRef(0);

  const openFlow = useCallback(
    (
      action: LifecycleAction,
      selection: Selection,
      count: number,
      onlyName: string | null,
      trigger: HTMLElement | null,
    ) => {
      requests.current += 1;
      setRequest({ key: requests.current, action, selection, count, onlyName, trigger });
    },
    [],
  );

  const columns = useMemo(
    () =>
      getUserColumns({
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
    [actor, openFlow],
  );

  const columnVisibility = useMemo<ColumnVisibilityState>(
    () => Object.fromEntries(HIDEABLE_COLUMNS.map((c) => [c, !hidden.includes(c)])),
    [hidden],
  );

  const table = useTable({
    features: userTableFeatures,
    columns,
    data: rows,
    getRowId: (row) => row.id,
    state: { rowSelection, columnVisibility },
    onRowSelectionChange: setRowSelection,
    enableRowSelection: true,
  });

  const selectedRows = rows.filter((r) => rowSelection[r.id]);
  const excludeIds = rows.filter((r) => !rowSelection[r.id]).map((r) => r.id);
  const matching = allMatching && selectedRows.length > 0;
  const selectedCount = matching ? total - excludeIds.length : selectedRows.length;
  const pageAllSelected = rows.length > 0 && selectedRows.length === rows.length;

  useEffect(() => {
    if (selectedRows.length === 0 && allMatching) setAllMatching(false);
  }, [selectedRows.length, allMatching]);

  function clearSelection() {
    setRowSelection({});
    setAllMatching(false);
  }

  function currentSelection(): Selection {
    if (matching) {
      return { kind: "filter", filter: filterOfView(view), excludeIds };
    }
    return {
      kind: "ids",
      targets: selectedRows.map((r) => ({ id: r.id, expectedStatus: r.status })),
    };
  }

  function toggleColumn(col: HideableColumn, visible: boolean) {
    const next = visible ? hidden.filter((c) => c !== col) : [...hidden, col];
    setHidden(next);
    startNavigation(() => {
      router.replace(`/users${usersViewQuery({ ...view, cols: [...next] })}`, { scroll: false });
    });
  }

  const bulkActions = matching
    ? actionsForTab(actor.role, view.tab)
    : actionsForRows(actor, selectedRows);
  const onlyOne = !matching && selectedRows.length === 1 ? (selectedRows[0]?.name ?? null) : null;

  const totalLabel = exactTotal !== null ? exactTotal.toLocaleString("en") : totalText(counted);

  async function selectAllMatching() {
    setAllMatching(true);
    if (!counted.capped || exactTotal !== null) return;
    const result = await countMatchingUsers(filterOfView(view));
    if (result.ok) setExactTotal(result.count);
  }

  return (
    <div>
      <SelectionBar
        total={total}
        selectedCount={selectedCount}
        pageAllSelected={pageAllSelected}
        pageSize={rows.length}
        allMatching={matching}
        actions={bulkActions}
        totalLabel={totalLabel}
        onSelectAllMatching={selectAllMatching}
        onClear={clearSelection}
        onAction={(action, trigger) =>
          openFlow(action, currentSelection(), selectedCount, onlyOne, trigger)
        }
      >
        <ColumnVisibilityMenu hidden={hidden} onToggle={toggleColumn} />
      </SelectionBar>

      <section
        ref={regionRef}
        tabIndex={-1}
        aria-label="Users"
        className="relative overflow-x-auto rounded-lg border border-zinc-200 outline-none focus-visible:ring-2 focus-visible:ring-indigo-500/40 dark:border-zinc-800"
      >
        {rows.length === 0 ? (
          <UsersEmptyState view={view} elsewhere={elsewhere} />
        ) : (
          <table className="w-full text-left text-sm">
            <thead className="bg-zinc-50 text-xs font-medium uppercase tracking-wide text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400">
              {table.getHeaderGroups().map((group) => (
                <tr key={group.id} className="h-10">
                  {group.headers.map((header) => {
                    const sortKey = SORTABLE[header.column.id];
                    const active = sortKey === view.sort;
                    const ariaSort = active
                      ? view.dir === "asc"
                        ? "ascending"
                        : "descending"
                      : undefined;
                    return (
                      <th
                        key={header.id}
                        scope="col"
                        aria-sort={ariaSort}
                        className={cx(
                          "whitespace-nowrap px-3 font-medium",
                          COLUMN_CLASS[header.column.id],
                        )}
                      >
                        {sortKey ? (
                          <Link
                            href={`/users${usersViewQuery({
                              ...view,
                              sort: sortKey,
                              dir: active && view.dir === "asc" ? "desc" : "asc",
                              cursor: undefined,
                            })}`}
                            className={cx(
                              "inline-flex items-center gap-1 rounded hover:text-zinc-900 dark:hover:text-zinc-100",
                              active && "text-zinc-900 dark:text-zinc-100",
                            )}
                          >
                            <table.FlexRender header={header} />
                            <SortIcon
                              state={active ? (view.dir === "desc" ? "desc" : "asc") : null}
                            />
                          </Link>
                        ) : (
                          <table.FlexRender header={header} />
                        )}
                      </th>
                    );
                  })}
                </tr>
              ))}
            </thead>
            <tbody>
              {table.getRowModel().rows.map((row) => (
                <tr
                  key={row.id}
                  aria-selected={row.getIsSelected()}
                  className={cx(
                    "h-12 border-t border-zinc-100 dark:border-zinc-800/70",
                    row.getIsSelected()
                      ? "bg-indigo-50/70 dark:bg-indigo-950/30"
                      : "hover:bg-zinc-50 dark:hover:bg-zinc-900/50",
                  )}
                >
                  {row.getVisibleCells().map((cell) => (
                    <td
                      key={cell.id}
                      className={cx("whitespace-nowrap px-3", COLUMN_CLASS[cell.column.id])}
                    >
                      <table.FlexRender cell={cell} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {total === 0 ? (
        <div className="mt-3 h-9" />
      ) : (
        <nav
          aria-label="Pagination"
          className="mt-3 flex min-h-9 flex-wrap items-center justify-between gap-3 text-sm"
        >
          <p className="tabular-nums text-zinc-600 dark:text-zinc-400">
            {rows.length.toLocaleString("en")} of {totalLabel}
          </p>
          <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
            <label className="flex items-center gap-2 text-zinc-600 dark:text-zinc-400">
              Rows per page
              <select
                value={view.size}
                onChange={(e) =>
                  router.push(
                    `/users${usersViewQuery({ ...view, size: Number(e.target.value), cursor: undefined })}`,
                  )
                }
                className="h-8 rounded-md border border-zinc-300 bg-white px-2 text-zinc-900 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
              >
                {PAGE_SIZES.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </label>
            <PageLink view={view} cursor={undefined} disabled={!prev} label="First page" />
            <PageLink
              view={view}
              cursor={prev ?? undefined}
              disabled={!prev}
              label="Previous page"
            />
            <PageLink view={view} cursor={next ?? undefined} disabled={!next} label="Next page" />
            <PageLink view={view} cursor={LAST_PAGE} disabled={!next} label="Last page" />
          </div>
        </nav>
      )}

      {request ? (
        <ActionFlow
          key={request.key}
          request={request}
          role={actor.role}
          fallbackFocus={regionRef}
          onClosed={() => setRequest(null)}
          onDone={clearSelection}
        />
      ) : null}
    </div>
  );
}

function SortIcon({ state }: { state: "asc" | "desc" | null }) {
  return (
    <svg
      viewBox="0 0 16 16"
      aria-hidden="true"
      className={cx("size-3.5 fill-none stroke-current", state ? "opacity-100" : "opacity-30")}
    >
      {state === "desc" ? (
        <path d="M4 6l4 4 4-4" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
      ) : state === "asc" ? (
        <path d="M4 10l4-4 4 4" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
      ) : (
        <path
          d="M5 6.5l3-3 3 3M5 9.5l3 3 3-3"
          strokeWidth="1.5"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      )}
    </svg>
  );
}

function PageLink({
  view,
  cursor,
  disabled,
  label,
}: {
  view: UsersView;
  cursor: string | undefined;
  disabled: boolean;
  label: string;
}) {
  const cls =
    "inline-flex h-8 items-center rounded-md border border-zinc-300 px-3 dark:border-zinc-700";
  if (disabled) {
    return (
      <span aria-disabled="true" className={`${cls} opacity-50`}>
        {label}
      </span>
    );
  }
  return (
    <Link
      href={`/users${usersViewQuery({ ...view, cursor })}`}
      className={`${cls} hover:bg-zinc-50 dark:hover:bg-zinc-900`}
    >
      {label}
    </Link>
  );
}
