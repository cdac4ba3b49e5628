"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db";
import { settings } from "@/lib/env";
import { newPasswordSchema, PASSWORDS_DIFFER } from "@/lib/password";
import {
  ACCOUNT_RULE,
  ADDRESS_RULE,
  type AttemptKeys,
  clientAddress,
  releaseAttempt,
  takeAttempt,
  throttledMessage,
  throttleKey,
} from "@/lib/throttle";
import { acceptInvitation } from "@/lib/users/invitations";

export type AcceptFormState = {
  error: string | null;
  fieldErrors: { password?: string; confirm?: string };
};

const acceptSchema = z
  .object({
    token: z.string({ error: "This invitation link isn't valid." }).max(200),
    password: newPasswordSchema,
    confirm: z.string({ error: "Type the password again." }),
  })
  .refine((v) => v.password === v.confirm, {
    path: ["confirm"],
    message: PASSWORDS_DIFFER,
  });

export async function acceptInvitationAction(
  _prev: AcceptFormState,
  form: FormData,
): Promise<AcceptFormState> {
  // A hand-made request may send anything: only a form is an answer to the invitation.
  if (!(form instanceof FormData)) {
    return { error: "This invitation link isn't valid.", fieldErrors: {} };
  }
  const get = (name: string) => (form instanceof FormData ? form.get(name) : null);
  const parsed = acceptSchema.safeParse({
    token: get("token"),
    password: get("password"),
    confirm: get("confirm"),
  });
  if (!parsed.success) {
    const fieldErrors: AcceptFormState["fieldErrors"] = {};
    let error: string | null = null;
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if ((field === "password" || field === "confirm") && !fieldErrors[field]) {
        fieldErrors[field] = issue.message;
      } else if (field === "token") {
        error = issue.message;
      }
    }
    return { error: error ?? "Check the highlighted fields.", fieldErrors };
  }
  try {
    const db = await getDb();
    // Guessing links is throttled like guessing passwords: per invitation and per address.
    const keys: AttemptKeys = {
      account: throttleKey("invitation", parsed.data.token, ACCOUNT_RULE),
      address: throttleKey("address", clientAddress(await headers()), ADDRESS_RULE),
    };
    const gate = await takeAttempt(db, keys);
    if (!gate.ok) return { error: throttledMessage(gate.retryAfterSeconds), fieldErrors: {} };
    const result = await acceptInvitation(db, {
      token: parsed.data.token,
      password: parsed.data.password,
      seatLimit: settings().seats,
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
  } catch (error) {
    console.error("Accepting an invitation failed", error);
    return {
      error: "Your password couldn't be set just now. Try again in a minute.",
      fieldErrors: {},
    };
  }
  redirect("/sign-in?reason=accepted");
}
