"use client";

import type { RowSelectionState, Updater } from "@tanstack/react-table";
import { createContext, type ReactNode, use, useCallback, useMemo, useState } from "react";
import type { UserRole } from "@/db/schema";
import type { UserRow } from "@/lib/users/queries";
import type { Selection } from "@/lib/users/verb-types";
import type { UsersFilter } from "@/lib/users/view";
import { ActionFlowHost } from "./action-flow-host";

type SelectionState = {
  /** Rows checked one by one, on any page of the view. */
  picked: ReadonlyMap<string, UserRow>;
  /** "Select all N matching": every user of the view, less the ones unchecked since. */
  allMatching: boolean;
  excluded: ReadonlySet<string>;
};

type UsersSelection = SelectionState & {
  isSelected: (id: string) => boolean;
  setChecked: (rows: readonly UserRow[], checked: boolean) => void;
  selectAllMatching: () => void;
  clear: () => void;
};

const EMPTY: SelectionState = { picked: new Map(), allMatching: false, excluded: new Set() };
const Context = createContext<UsersSelection | null>(null);

/**
 * The selection of a users view, and the host of the dialogs that act on it. It lives above the
 * table, so it survives page and page-size changes; the page keys this provider by the view's
 * filter, so a new filter starts afresh. A change that went through clears the selection.
 */
export function UsersSelectionProvider({
  role,
  children,
}: {
  role: UserRole;
  children: ReactNode;
}) {
  const [state, setState] = useState<SelectionState>(EMPTY);
  const clear = useCallback(() => setState(EMPTY), []);
  const value = useMemo<UsersSelection>(
    () => ({
      ...state,
      isSelected: (id) => (state.allMatching ? !state.excluded.has(id) : state.picked.has(id)),
      setChecked: (rows, checked) =>
        setState((s) => {
          if (s.allMatching) {
            const excluded = new Set(s.excluded);
            for (const r of rows) checked ? excluded.delete(r.id) : excluded.add(r.id);
            return { ...s, excluded };
          }
          const picked = new Map(s.picked);
          for (const r of rows) checked ? picked.set(r.id, r) : picked.delete(r.id);
          return { ...s, picked };
        }),
      selectAllMatching: () =>
        setState({ picked: new Map(), allMatching: true, excluded: new Set() }),
      clear,
    }),
    [state, clear],
  );
  return (
    <Context value={value}>
      <ActionFlowHost role={role} onDone={clear}>
        {children}
      </ActionFlowHost>
    </Context>
  );
}

export function useUsersSelection(): UsersSelection {
  const value = use(Context);
  if (!value) throw new Error("useUsersSelection needs a UsersSelectionProvider");
  return value;
}

/** The page's rows as the table sees them: which are checked, and what a click on a box does. */
export function useRowSelection(rows: readonly UserRow[]) {
  const selection = useUsersSelection();
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
  return { rowSelection, onRowSelectionChange };
}

/** How many users the selection holds, of the view's total. */
export function selectedCount(selection: UsersSelection, total: number): number {
  return selection.allMatching
    ? Math.max(0, total - selection.excluded.size)
    : selection.picked.size;
}

/** What the server is asked to change: the rows checked, or the view's filter less the unchecked. */
export function selectionToSend(selection: UsersSelection, filter: UsersFilter): Selection {
  if (selection.allMatching) {
    return { kind: "filter", filter, excludeIds: [...selection.excluded] };
  }
  return {
    kind: "ids",
    targets: [...selection.picked.values()].map((r) => ({ id: r.id, expectedStatus: r.status })),
  };
}
