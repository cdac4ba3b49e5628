"use client";

import {
  createContext,
  lazy,
  type ReactNode,
  type RefObject,
  Suspense,
  use,
  useCallback,
  useMemo,
  useRef,
  useState,
} from "react";
import type { UserRole } from "@/db/schema";
import type { FlowRequest } from "./action-flow";

// The dialogs load when an action is first chosen, keeping them out of the first-load JS.
const ActionFlow = lazy(() => import("./action-flow").then((m) => ({ default: m.ActionFlow })));

type FlowHost = {
  /** Opens the action's dialogs on a selection; a new request replaces an open one. */
  openFlow: (request: Omit<FlowRequest, "key">) => void;
  /** Where focus goes when the dialogs close and their trigger is gone (the table, the page). */
  fallbackFocus: RefObject<HTMLElement | null>;
};

const Context = createContext<FlowHost | null>(null);

/** Hosts one action flow for everything below it: the table's menus and its selection bar. */
export function ActionFlowHost({
  role,
  onDone,
  children,
}: {
  role: UserRole;
  /** After a change (the server action revalidates the pages itself). */
  onDone?: (request: FlowRequest) => void;
  children: ReactNode;
}) {
  const [request, setRequest] = useState<FlowRequest | null>(null);
  const requests = useRef(0);
  const fallbackFocus = useRef<HTMLElement | null>(null);
  const openFlow = useCallback((next: Omit<FlowRequest, "key">) => {
    requests.current += 1;
    setRequest({ ...next, key: requests.current });
  }, []);
  const value = useMemo(() => ({ openFlow, fallbackFocus }), [openFlow]);
  return (
    <Context value={value}>
      {children}
      {request ? (
        <Suspense fallback={null}>
          <ActionFlow
            key={request.key}
            request={request}
            role={role}
            fallbackFocus={fallbackFocus}
            onClosed={() => setRequest(null)}
            onDone={() => onDone?.(request)}
          />
        </Suspense>
      ) : null}
    </Context>
  );
}

export function useActionFlow(): FlowHost {
  const value = use(Context);
  if (!value) throw new Error("useActionFlow needs an ActionFlowHost");
  return value;
}
