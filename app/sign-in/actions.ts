"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import { signIn } from "@/lib/auth";
import { SIGN_IN_MESSAGES, signInMessage } from "@/lib/sign-in-messages";

export type SignInState = { error: string | null; email: string };

export async function signInAction(_prev: SignInState, form: FormData): Promise<SignInState> {
  // A hand-made request may send anything: only a form is a sign-in.
  if (!(form instanceof FormData)) return { error: SIGN_IN_MESSAGES.invalid, email: "" };
  const email = String(form.get("email") ?? "");
  const password = String(form.get("password") ?? "");
  try {
    await signIn("credentials", { email, password, redirectTo: "/users" });
    return { error: null, email };
  } catch (error) {
    if (error instanceof CredentialsSignin) {
      return { error: signInMessage(error.code) ?? SIGN_IN_MESSAGES.invalid, email };
    }
    if (error instanceof AuthError) {
      return { error: "Sign-in isn't working right now. Try again in a minute.", email };
    }
    // Next's redirect after a successful sign-in travels as an error: let it through.
    throw error;
  }
}
