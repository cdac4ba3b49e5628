import type { Skipped } from "@/lib/users/action-types";
import type { LifecycleAction } from "@/lib/users/lifecycle";

/** How the UI words each action around the lifecycle's verb. */
export const ACTION_COPY: Record<
  LifecycleAction,
  { title: string; pending: string; done: string }
> = {
  deactivate: { title: "Deactivate", pending: "Deactivating…", done: "Deactivated" },
  reactivate: { title: "Reactivate", pending: "Reactivating…", done: "Reactivated" },
  reinvite: { title: "Re-invite", pending: "Sending invitations…", done: "Re-invited" },
  archive: { title: "Archive", pending: "Archiving…", done: "Archived" },
  restore: { title: "Restore", pending: "Restoring…", done: "Restored" },
  approve: { title: "Approve", pending: "Approving…", done: "Approved" },
  reject: { title: "Reject", pending: "Rejecting…", done: "Rejected" },
  delete: { title: "Permanently delete", pending: "Deleting…", done: "Deleted" },
};

export function usersCount(n: number): string {
  return `${n.toLocaleString("en")} ${n === 1 ? "user" : "users"}`;
}

/** "Archive 3 users?" or, for one user, "Archive Dora Departing?". */
export function confirmTitle(action: LifecycleAction, count: number, onlyName: string | null) {
  return `${ACTION_COPY[action].title} ${onlyName ?? usersCount(count)}?`;
}

/** "Archived 3 users. 1 skipped: Olivia Owner (The workspace owner can't be changed.)" */
export function resultMessage(
  action: LifecycleAction,
  done: number,
  skipped: Skipped[],
  skippedCount = skipped.length,
): string {
  const head = `${ACTION_COPY[action].done} ${usersCount(done)}.`;
  if (skippedCount === 0) return head;
  const shown = skipped
    .slice(0, 3)
    .map((s) => `${s.name ?? "A user"} (${s.reason.replace(/\.$/, "")})`)
    .join("; ");
  const more = skippedCount > 3 ? `; and ${(skippedCount - 3).toLocaleString("en")} more` : "";
  return `${head} ${skippedCount.toLocaleString("en")} skipped: ${shown}${more}.`;
}
