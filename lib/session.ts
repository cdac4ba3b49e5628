import "server-only";
import { sql } from "drizzle-orm";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db";
import { queryRows } from "@/db/client";
import type { User, UserRole, UserStatus } from "@/db/schema";
import { auth } from "./auth";
import { signInRefusalCode } from "./sign-in-messages";

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
  if (!UUID.test(id) || typeof sid !== "string" || !UUID.test(sid)) {
    return { kind: "ended", code: "ended" };
  }
  const [user] = await queryRows<{
    id: string;
    name: string;
    email: string;
    role: UserRole;
    status: UserStatus;
    session_version: number;
    session_open: boolean;
  }>(
    await getDb(),
    sql`select u.id, u.name, u.email, u.role, u.status, u.session_version,
          exists (select 1 from sessions s
                  where s.id = ${sid}::uuid and s.user_id = u.id and s.expires_at > now()) as session_open
        from users u where u.id = ${id}::uuid`,
  );
  // A deleted account's session has simply ended: say no more than that.
  if (!user) return { kind: "ended", code: "ended" };
  const refusal = signInRefusalCode(user.status);
  if (refusal) return { kind: "ended", code: refusal };
  if (Number(user.session_version) !== sv || !user.session_open) {
    return { kind: "ended", code: "ended" };
  }
  const { session_version: _, session_open: __, ...actor } = user;
  return { kind: "signed-in", actor };
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The signed-in, still-active user, or a redirect to sign-in with the reason. */
export async function requireActor(): Promise<Actor> {
  const state = await sessionState();
  if (state.kind === "signed-in") return state.actor;
  redirect(state.kind === "ended" ? `/sign-in?reason=${state.code}` : "/sign-in");
}
