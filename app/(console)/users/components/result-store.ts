import type { VerbResult } from "@/lib/users/verb-types";

export type DoneResult = Extract<VerbResult, { ok: true }>;

// The result the "See full result" dialog shows: one at a time, for the whole console. Its own
// module (no dependencies), so that the console layout's host holds only this and loads the
// dialog, and the action definitions it reads, when there is a result to show.
let shown: DoneResult | null = null;
const listeners = new Set<() => void>();

export function showResult(result: DoneResult | null) {
  shown = result;
  for (const l of listeners) l();
}

export function subscribeResult(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function shownResult(): DoneResult | null {
  return shown;
}
