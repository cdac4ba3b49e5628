"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import { signIn, THROTTLED_CODE } from "@/lib/auth";
import { SIGN_IN_MESSAGES, signInMessage } from "@/lib/sign-in-messages";
import { throttledMessage } from "@/lib/throttle";

export type SignInState = { error: string | null; email: string };

function field(form: unknown, name: string): string {
  const value = form instanceof FormData ? form.get(name) : null;
  return typeof value === "string" ? value.slice(0, 2048) : "";
}

export async function signInAction(_prev: SignInState, form: FormData): Promise<SignInState> {
  const email = field(form, "email");
  const password = field(form, "password");
  try {
    await signIn("credentials", { email, password, redirectTo: "/users" });
    return { error: null, email };
  } catch (error) {
    if (error instanceof CredentialsSignin) {
      const throttled = THROTTLED_CODE.exec(error.code);
      if (throttled) return { error: throttledMessage(Number(throttled[1])), email };
      return { error: signInMessage(error.code) ?? SIGN_IN_MESSAGES.invalid, email };
    }
    if (error instanceof AuthError) {
      return { error: "Sign-in isn't working right now. Try again in a minute.", email };
    }
    // Next's redirect after a successful sign-in travels as an error: let it through.
    throw error;
  }
}
