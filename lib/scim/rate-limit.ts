import { sql } from "drizzle-orm";
import { type Executor, queryRows } from "@/db/client";

/**
 * Requests one SCIM token may make per minute. Far above what Okta and Entra ID send in a sync
 * (a few per second) and the 20 deactivations a second bench/ holds; a runaway client stops here.
 */
export const SCIM_REQUESTS_PER_MINUTE = 3000;
const WINDOW_SECONDS = 60;

export type ScimGate = { ok: true } | { ok: false; retryAfterSeconds: number };

/** The auth_throttle row that counts a token's requests (no personal data: a token's id). */
export function scimRateKey(tokenId: string): string {
  return `scim:${tokenId}`;
}

/**
 * Counts one request against the token's fixed one-minute window, in one atomic upsert on the
 * throttle table (lib/throttle.ts): `failures` is the window's count, `last_failure_at` its start.
 */
export async function takeScimRequest(
  db: Executor,
  tokenId: string,
  now: Date = new Date(),
  limit: number = SCIM_REQUESTS_PER_MINUTE,
): Promise<ScimGate> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const expired = sql`t.last_failure_at <= ${at} - make_interval(secs => ${WINDOW_SECONDS})`;
  const [row] = await queryRows<{ n: number; since: string | Date }>(
    db,
    sql`insert into auth_throttle as t (key, failures, last_failure_at, refused)
        values (${scimRateKey(tokenId)}, 1, ${at}, false)
        on conflict (key) do update set
          failures = case when ${expired} then 1 else t.failures + 1 end,
          last_failure_at = case when ${expired} then ${at} else t.last_failure_at end
        returning failures as n, last_failure_at as since`,
  );
  if (!row || row.n <= limit) return { ok: true };
  const ends = new Date(row.since).getTime() + WINDOW_SECONDS * 1000;
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((ends - now.getTime()) / 1000)) };
}
