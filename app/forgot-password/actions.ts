"use server";

import { headers } from "next/headers";
import { z } from "zod";
import { getDb } from "@/lib/db";
import { settings } from "@/lib/env";
import { takePublicRequest } from "@/lib/public-requests";
import { throttledMessage } from "@/lib/throttle";
import { requestPasswordReset } from "@/lib/users/password-resets";

export type ForgotPasswordState = {
  sent: boolean;
  error: string | null;
  fieldError: string | null;
  email: string;
};

const emailSchema = z.email().max(320);

/**
 * The same answer whoever asks: an address that is no account, or an account that may not sign
 * in, gets no email, and the page says only that a link went out if the address can sign in.
 */
export async function forgotPasswordAction(
  _prev: ForgotPasswordState,
  form: FormData,
): Promise<ForgotPasswordState> {
  const raw = form instanceof FormData ? form.get("email") : null;
  const email = typeof raw === "string" ? raw.trim().slice(0, 400) : "";
  const parsed = emailSchema.safeParse(email);
  if (!parsed.success) {
    return { sent: false, error: null, fieldError: "Enter your email address.", email };
  }
  try {
    const db = await getDb();
    const gate = await takePublicRequest(db, "password-reset", parsed.data, await headers());
    if (!gate.ok) {
      return {
        sent: false,
        error: throttledMessage(gate.retryAfterSeconds),
        fieldError: null,
        email,
      };
    }
    await requestPasswordReset(db, { email: parsed.data, baseUrl: settings().publicUrl });
  } catch (error) {
    console.error("A password reset request failed", error);
    return {
      sent: false,
      error: "Your request couldn't be sent just now. Try again in a minute.",
      fieldError: null,
      email,
    };
  }
  return { sent: true, error: null, fieldError: null, email };
}
