import { createHash } from "node:crypto";
import { type SQL, sql } from "drizzle-orm";
import { type Executor, queryRows } from "@/db/client";

export const SELECTION_CHANGED =
  "The selection changed since you reviewed it. Review the new preview and confirm again.";

/** The matched set, in a form that fits a token: its size and a digest of its ids. */
export type SetFingerprint = { count: number; fingerprint: string };

/**
 * One pass over the ids (`idColumn` of `from`): count, xor and sum of 64 bits of md5 per id, all
 * independent of order, so the same set gives the same value from the users table (preview) and
 * from the apply's locked plan.
 */
export async function fingerprintSet(
  db: Executor,
  from: SQL,
  idColumn: SQL,
): Promise<SetFingerprint> {
  const h = sql`('x' || substr(md5(${idColumn}::text), 1, 16))::bit(64)::bigint`;
  const [row] = await queryRows<{ n: number; x: string; s: string }>(
    db,
    sql`select count(*)::int as n, coalesce(bit_xor(${h}), 0)::text as x,
          coalesce(sum(${h}), 0)::text as s
        ${from}`,
  );
  const count = Number(row?.n ?? 0);
  const fingerprint = createHash("sha256")
    .update(`${count}:${row?.x ?? 0}:${row?.s ?? 0}`)
    .digest("base64url")
    .slice(0, 22);
  return { count, fingerprint };
}
