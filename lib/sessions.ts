import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db, Executor } from "@/db/client";
import { auditEvents } from "@/db/schema";

/** A session lasts 12 hours from sign-in, whatever happens in between. */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

/** A new server-side session for a user who just signed in; its id goes into the cookie. */
export async function createSession(db: Executor, userId: string, now: Date): Promise<string> {
  const id = randomUUID();
  const at = now.toISOString();
  const expires = new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000).toISOString();
  // Sessions that timed out go when their user next signs in: the table stays small.
  await db.execute(
    sql`delete from sessions where user_id = ${userId}::uuid and expires_at <= ${at}::timestamptz`,
  );
  await db.execute(sql`insert into sessions (id, user_id, created_at, expires_at)
    values (${id}::uuid, ${userId}::uuid, ${at}::timestamptz, ${expires}::timestamptz)`);
  return id;
}

/** Sign-out: this one session stops working, on every app instance, at once. */
export async function endSession(db: Executor, sessionId: string): Promise<void> {
  if (!/^[0-9a-f-]{36}$/i.test(sessionId)) return;
  await db.execute(sql`delete from sessions where id = ${sessionId}::uuid`);
}

/**
 * Every session of these users ends: their rows go, and the session version moves on so that a
 * cookie issued before this (with or without a session row) is refused too.
 */
export async function endAllSessions(db: Executor, userIds: readonly string[]): Promise<number> {
  if (!userIds.length) return 0;
  const ids = sql`(select value::uuid from json_array_elements_text(${JSON.stringify(userIds)}::json))`;
  await db.execute(sql`update users set session_version = session_version + 1 where id in ${ids}`);
  const result = (await db.execute(
    sql`delete from sessions where user_id in ${ids} returning id`,
  )) as unknown as { rows: unknown[] };
  return result.rows.length;
}

/** "Sign out everywhere": every session of this user ends, audited, in one transaction. */
export async function endOwnSessions(
  db: Db,
  args: { userId: string; requestId: string },
): Promise<void> {
  await db.transaction(async (tx) => {
    await endAllSessions(tx, [args.userId]);
    await tx.insert(auditEvents).values({
      actorId: args.userId,
      action: "end-sessions",
      targetId: args.userId,
      requestId: args.requestId,
    });
  });
}
