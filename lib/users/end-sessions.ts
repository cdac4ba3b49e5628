import { sql } from "drizzle-orm";
import { type Db, queryRows } from "@/db/client";
import { auditEvents, type UserRole, type UserStatus } from "@/db/schema";
import { endAllSessions } from "@/lib/sessions";
import { type Person, type RankRefusal, rankRefusal } from "@/model/permissions";

const END_SESSIONS_REFUSALS: Record<RankRefusal | "missing", string> = {
  self: "Use “Sign out everywhere” to end your own sessions.",
  owner: "Nobody can end the owner's sessions.",
  rank: "You can only end the sessions of people ranked below you.",
  missing: "That user no longer exists. Nothing was changed.",
};

export type EndSessionsResult = { ok: true; ended: number } | { ok: false; error: string };

/**
 * Signs a user out on every device: their sessions go and the session version moves on, with
 * the audit event, in one transaction. The rank rules of every flow apply.
 */
export async function endUserSessions(
  db: Db,
  args: { actor: Person; userId: string; requestId: string; now: Date },
): Promise<EndSessionsResult> {
  return db.transaction(async (tx) => {
    const [target] = await queryRows<{ id: string; role: UserRole; status: UserStatus }>(
      tx,
      sql`select id, role, status from users where id = ${args.userId}::uuid for update`,
    );
    if (!target) return { ok: false, error: END_SESSIONS_REFUSALS.missing };
    const refusal = rankRefusal(args.actor, target);
    if (refusal) return { ok: false, error: END_SESSIONS_REFUSALS[refusal] };
    const ended = await endAllSessions(tx, [target.id]);
    await tx.insert(auditEvents).values({
      actorId: args.actor.id,
      action: "end-sessions",
      targetId: target.id,
      requestId: args.requestId,
      at: args.now,
    });
    return { ok: true, ended };
  });
}
