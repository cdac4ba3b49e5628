"use server";

import { headers } from "next/headers";
import { getDb } from "@/db";
import { auditEvents } from "@/db/schema";
import { signOut } from "@/lib/auth";
import { sessionState } from "@/lib/session";
import { endAllSessions } from "@/lib/sessions";

/** Ends this session on the server (Auth.js's signOut event deletes its row) and the cookie. */
export async function signOutAction() {
  await signOut({ redirectTo: "/sign-in" });
}

/** Ends every session of the signed-in user, on every device, then this one's cookie. */
export async function signOutEverywhereAction() {
  const state = await sessionState();
  if (state.kind === "signed-in") {
    const { id } = state.actor;
    const requestId = (await headers()).get("x-request-id")?.slice(0, 128) ?? null;
    const db = await getDb();
    await db.transaction(async (tx) => {
      await endAllSessions(tx, [id]);
      await tx
        .insert(auditEvents)
        .values({ actorId: id, action: "end-sessions", targetId: id, requestId });
    });
  }
  await signOut({ redirectTo: "/sign-in" });
}
