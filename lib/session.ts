import "server-only";
import { eq } from "drizzle-orm";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db";
import { type User, users } from "@/db/schema";
import { auth } from "./auth";
import { signInRefusalCode } from "./sign-in-messages";

export type Actor = Pick<User, "id" | "name" | "email" | "role" | "status">;

type SessionState =
  | { kind: "anonymous" }
  | { kind: "ended"; code: string }
  | { kind: "signed-in"; actor: Actor };

/**
 * Who is signing this request, re-checked against the database on every request (status and
 * session version), and cached for the rest of the request.
 */
export const sessionState = cache(async (): Promise<SessionState> => {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return { kind: "anonymous" };
  const sv = (session as { sv?: number }).sv;
  const db = await getDb();
  const [user] = await db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      role: users.role,
      status: users.status,
      sessionVersion: users.sessionVersion,
    })
    .from(users)
    .where(eq(users.id, id))
    .limit(1);
  if (!user) return { kind: "ended", code: "deactivated" };
  const refusal = signInRefusalCode(user.status);
  if (refusal) return { kind: "ended", code: refusal };
  if (user.sessionVersion !== sv) return { kind: "ended", code: "ended" };
  const { sessionVersion: _, ...actor } = user;
  return { kind: "signed-in", actor };
});

/** The signed-in, still-active user, or a redirect to sign-in with the reason. */
export async function requireActor(): Promise<Actor> {
  const state = await sessionState();
  if (state.kind === "signed-in") return state.actor;
  redirect(state.kind === "ended" ? `/sign-in?reason=${state.code}` : "/sign-in");
}
