import { formatCount, plural } from "@/lib/format";
import type { Skipped } from "@/lib/users/verb-types";
import { definition, type Verb } from "@/model/verbs";

export function usersCount(n: number): string {
  return plural(n, "user");
}

/** "Archive 3 users?" or, for one user, "Archive Dora Departing?". */
export function confirmTitle(action: Verb, count: number, onlyName: string | null) {
  return `${definition(action).wording.title} ${onlyName ?? usersCount(count)}?`;
}

/** "Archived 3 users. 1 skipped: Olivia Owner (The workspace owner can't be changed.)" */
export function resultMessage(
  action: Verb,
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
  const more = skippedCount > 3 ? `; and ${formatCount(skippedCount - 3)} more` : "";
  return `${head} ${formatCount(skippedCount)} skipped: ${shown}${more}.`;
}

/** Four-eyes delete: "Deletion requested for 2 users: another admin must approve it." */
export function requestedMessage(count: number): string {
  return `Deletion requested for ${usersCount(count)}: another admin must approve it.`;
}

/** "Uses 3 of 12 free seats.": only when the action takes seats (a restore to Inactive takes none). */
export function seatsLine(seats: { needed: number; free: number }): string | null {
  if (seats.needed === 0) return null;
  return `Uses ${formatCount(seats.needed)} of ${formatCount(seats.free)} free seats.`;
}
