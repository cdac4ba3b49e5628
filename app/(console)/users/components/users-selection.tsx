"use client";

import { createContext, type ReactNode, use, useMemo, useState } from "react";
import type { UserRow } from "@/lib/users/queries";

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
 * The selection of a users view. It lives above the table, so it survives page and page-size
 * changes; the page keys this provider by the view's filter, so a new filter starts afresh.
 */
export function UsersSelectionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SelectionState>(EMPTY);
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
      clear: () => setState(EMPTY),
    }),
    [state],
  );
  return <Context value={value}>{children}</Context>;
}

export function useUsersSelection(): UsersSelection {
  const value = use(Context);
  if (!value) throw new Error("useUsersSelection needs a UsersSelectionProvider");
  return value;
}
