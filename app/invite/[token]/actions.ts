"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/lib/db";
import { settings } from "@/lib/env";
import { type LinkPasswordState, parseLinkPasswordForm } from "@/lib/password";
import {
  ADDRESS_RULE,
  type AttemptKeys,
  clientAddress,
  GUESS_RULE,
  releaseAttempt,
  takeAttempt,
  throttledMessage,
  throttleKey,
} from "@/lib/throttle";
import { acceptInvitation } from "@/lib/users/invitations";
import { seatLimit } from "@/lib/workspace-settings";

export type AcceptFormState = LinkPasswordState;

export async function acceptInvitationAction(
  _prev: AcceptFormState,
  form: FormData,
): Promise<AcceptFormState> {
  // A hand-made request may send anything: only a form is an answer to the invitation.
  const read = parseLinkPasswordForm(form, "This invitation link isn't valid.");
  if (!read.ok) return read.state;
  let email: string;
  try {
    const db = await getDb();
    // Guessing links is throttled like guessing passwords: per invitation and per address.
    const keys: AttemptKeys = {
      own: throttleKey("invitation", read.token, GUESS_RULE),
      shared: [
        throttleKey(
          "address",
          clientAddress(await headers(), settings().trustedProxies),
          ADDRESS_RULE,
        ),
      ],
    };
    const gate = await takeAttempt(db, keys);
    if (!gate.ok) return { error: throttledMessage(gate.retryAfterSeconds), fieldErrors: {} };
    const result = await acceptInvitation(db, {
      token: read.token,
      password: read.password,
      seatLimit: await seatLimit(db),
    });
    if (result.ok || result.code === "invalid-password" || result.code === "no-seat") {
      await releaseAttempt(db, keys);
    }
    if (!result.ok) {
      return {
        error: result.error,
        fieldErrors: result.code === "invalid-password" ? { password: result.error } : {},
      };
    }
    email = result.email;
  } catch (error) {
    console.error("Accepting an invitation failed", error);
    return {
      error: "Your password couldn't be set just now. Try again in a minute.",
      fieldErrors: {},
    };
  }
  // The sign-in page fills in the address the person just saw.
  redirect(`/sign-in?${new URLSearchParams({ reason: "accepted", email })}`);
}
