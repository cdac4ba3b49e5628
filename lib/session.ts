import "server-only";
import { sql } from "drizzle-orm";
import { redirect } from "next/navigation";
import { cache } from "react";
import { queryRows } from "@/db/client";
import type { User, UserRole, UserStatus } from "@/db/schema";
import { isUuid } from "@/db/sql";
import { getDb } from "@/lib/db";
import { auth } from "./auth";
import { noteActor } from "./ops/log";
import { accessEndRefusal, signInRefusalCode } from "./sign-in-messages";
import { statusEndSql } from "./users/status-end";

export type Actor = Pick<User, "id" | "name" | "email" | "role" | "status">;

type SessionState =
  | { kind: "anonymous" }
  | { kind: "ended"; code: string }
  | { kind: "signed-in"; actor: Actor };

/**
 * Who is signing this request, re-checked against the database on every request (the session
 * row the cookie names, the user's status, role and session version), and cached for the rest
 * of the request. A cookie from before server-side sessions names no row: it has ended.
 */
export const sessionState = cache(async (): Promise<SessionState> => {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return { kind: "anonymous" };
  const { sv, sid } = session as { sv?: number; sid?: string };
  if (!isUuid(id) || typeof sid !== "string" || !isUuid(sid)) {
    return { kind: "ended", code: "ended" };
  }
  const [user] = await queryRows<{
    id: string;
    name: string;
    email: string;
    role: UserRole;
    status: UserStatus;
    ends_at: string | null;
    access_ends_at: string | null;
    session_version: number;
    session_open: boolean;
  }>(
    await getDb(),
    sql`select u.id, u.name, u.email, u.role, u.status, ${statusEndSql("u")} as ends_at, u.access_ends_at, u.session_version,
          exists (select 1 from sessions s
                  where s.id = ${sid}::uuid and s.user_id = u.id and s.expires_at > now()) as session_open
        from users u where u.id = ${id}::uuid`,
  );
  // A deleted account's session has simply ended: say no more than that.
  if (!user) return { kind: "ended", code: "ended" };
  // An access end date ends the session at its first request from that minute on.
  const refusal =
    signInRefusalCode(user.status, { until: user.ends_at }) ??
    accessEndRefusal(user.access_ends_at, new Date());
  if (refusal) return { kind: "ended", code: refusal };
  if (Number(user.session_version) !== sv || !user.session_open) {
    return { kind: "ended", code: "ended" };
  }
  const {
    session_version: _,
    session_open: __,
    ends_at: ___,
    access_ends_at: ____,
    ...actor
  } = user;
  noteActor(actor.id);
  return { kind: "signed-in", actor };
});

/** The signed-in, still-active user, or a redirect to sign-in with the reason. */
export async function requireActor(): Promise<Actor> {
  const state = await sessionState();
  if (state.kind === "signed-in") return state.actor;
  redirect(state.kind === "ended" ? `/sign-in?reason=${state.code}` : "/sign-in");
}
