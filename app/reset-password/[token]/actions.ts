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
import { completePasswordReset, PASSWORD_RESET_MESSAGES } from "@/lib/users/password-resets";

export type ResetFormState = LinkPasswordState;

export async function resetPasswordAction(
  _prev: ResetFormState,
  form: FormData,
): Promise<ResetFormState> {
  const read = parseLinkPasswordForm(form, PASSWORD_RESET_MESSAGES.unknown);
  if (!read.ok) return read.state;
  try {
    const db = await getDb();
    // Guessing links is throttled like guessing passwords: per link and per client address.
    const keys: AttemptKeys = {
      own: throttleKey("password-reset-link", read.token, GUESS_RULE),
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
    const result = await completePasswordReset(db, {
      token: read.token,
      password: read.password,
    });
    if (result.ok || result.code === "invalid-password") await releaseAttempt(db, keys);
    if (!result.ok) {
      return {
        error: result.error,
        fieldErrors: result.code === "invalid-password" ? { password: result.error } : {},
      };
    }
  } catch (error) {
    console.error("Resetting a password failed", error);
    return {
      error: "Your password couldn't be set just now. Try again in a minute.",
      fieldErrors: {},
    };
  }
  redirect("/sign-in?reason=password-reset");
}
