"use client";

import {
  createContext,
  type ReactNode,
  type TransitionStartFunction,
  use,
  useTransition,
} from "react";

type PendingNavigation = { pending: boolean; startTransition: TransitionStartFunction };

const Context = createContext<PendingNavigation | null>(null);

/**
 * One transition for every control of a table page (tabs, search, filters, pager), so that each
 * of them, and the table, can show that the view they asked for is loading.
 */
export function PendingNavigationProvider({ children }: { children: ReactNode }) {
  const [pending, startTransition] = useTransition();
  return <Context value={{ pending, startTransition }}>{children}</Context>;
}

export function usePendingNavigation(): PendingNavigation {
  const value = use(Context);
  if (!value) throw new Error("usePendingNavigation needs a PendingNavigationProvider");
  return value;
}
