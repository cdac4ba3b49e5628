import type { Skipped } from "@/lib/users/action-types";
import { definition, type LifecycleAction } from "@/lib/users/actions";

export function usersCount(n: number): string {
  return `${n.toLocaleString("en")} ${n === 1 ? "user" : "users"}`;
}

/** "Archive 3 users?" or, for one user, "Archive Dora Departing?". */
export function confirmTitle(action: LifecycleAction, count: number, onlyName: string | null) {
  return `${definition(action).wording.title} ${onlyName ?? usersCount(count)}?`;
}

/** "Archived 3 users. 1 skipped: Olivia Owner (The workspace owner can't be changed.)" */
export function resultMessage(
  action: LifecycleAction,
  done: number,
  skipped: Skipped[],
  skippedCount = skipped.length,
): string {
  const head = `${definition(action).wording.done} ${usersCount(done)}.`;
  if (skippedCount === 0) return head;
  const shown = skipped
    .slice(0, 3)
    .map((s) => `${s.name ?? "A user"} (${s.reason.replace(/\.$/, "")})`)
    .join("; ");
  const more = skippedCount > 3 ? `; and ${(skippedCount - 3).toLocaleString("en")} more` : "";
  return `${head} ${skippedCount.toLocaleString("en")} skipped: ${shown}${more}.`;
}
