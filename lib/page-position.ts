/**
 * Where a keyset page starts in its list (0-based), for "26–50 of 15,222". The position rides in
 * the cursor (the rows come from the key, never from it), so it is only words: kept inside what
 * the total allows, since rows may have come or gone since the link was made.
 *
 * `at` is what the cursor said, "end" for the last page; null when an older link said nothing.
 */
export function pageStart(
  at: number | "end" | null,
  shown: number,
  total: { n: number; capped: boolean },
  hasPrev: boolean,
): number | null {
  if (!hasPrev) return 0;
  if (at === "end") return total.capped ? null : Math.max(1, total.n - shown);
  if (at === null) return null;
  return total.capped ? Math.max(at, 1) : Math.max(1, Math.min(at, total.n - shown));
}

/** A position as the cursor carries it: a non-negative safe integer, or nothing. */
export function validPosition(at: unknown): at is number {
  return typeof at === "number" && Number.isSafeInteger(at) && at >= 0;
}
