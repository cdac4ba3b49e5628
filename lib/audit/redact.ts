import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";

/**
 * Erasure of what admins typed: the whole text of every reason attached to any event about
 * these (already deleted) users goes, a shared bulk reason included, since no list of spellings
 * of a name is ever complete. The database function (migration 0013) does it as the tables'
 * owner, records each redaction as a chained `redact-reason` event in the actor's name, and
 * refuses users who still exist or whom this actor did not delete.
 */
export async function eraseReasons(
  tx: Executor,
  args: { userIds: readonly string[]; actorId: string | null; now: Date },
): Promise<void> {
  if (args.userIds.length === 0) return;
  await tx.execute(sql`select audit_erase_reasons(
    array(select value::uuid from json_array_elements_text(${JSON.stringify(args.userIds)}::json)),
    ${args.actorId}::uuid, ${args.now.toISOString()}::timestamptz)`);
}
