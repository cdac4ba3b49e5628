"use server";

import { headers } from "next/headers";
import { signOut } from "@/lib/auth";
import { getDb } from "@/lib/db";
import { requestIdFrom } from "@/lib/request-id";
import { sessionState } from "@/lib/session";
import { endOwnSessions } from "@/lib/sessions";

/** Ends this session on the server (Auth.js's signOut event deletes its row) and the cookie. */
export async function signOutAction() {
  await signOut({ redirectTo: "/sign-in" });
}

/** Ends every session of the signed-in user, on every device, then this one's cookie. */
export async function signOutEverywhereAction() {
  const state = await sessionState();
  if (state.kind === "signed-in") {
    await endOwnSessions(await getDb(), {
      userId: state.actor.id,
      requestId: requestIdFrom(await headers()),
    });
  }
  await signOut({ redirectTo: "/sign-in" });
}
