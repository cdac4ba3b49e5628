"use client";

import { lazy, Suspense, useSyncExternalStore } from "react";
import { shownResult, subscribeResult } from "./result-store";

const ResultDialog = lazy(() =>
  import("./action-result").then((m) => ({ default: m.ActionResultDialog })),
);

/** The full result of the last action whose toast offered it; the dialog loads when needed. */
export function ActionResultHost() {
  const result = useSyncExternalStore(subscribeResult, shownResult, () => null);
  if (!result) return null;
  return (
    <Suspense fallback={null}>
      <ResultDialog result={result} />
    </Suspense>
  );
}
