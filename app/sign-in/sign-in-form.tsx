"use client";

import { useActionState } from "react";
import { FormAlert, PRIMARY_SUBMIT, TextField } from "@/components/ui/form-fields";
import { type SignInState, signInAction } from "./actions";

export function SignInForm({
  email = "",
  notice,
  noticeTone = "error",
}: {
  /** The address to start with (after accepting an invitation). */
  email?: string;
  notice: string | null;
  noticeTone?: "error" | "success";
}) {
  const [state, formAction, pending] = useActionState<SignInState, FormData>(signInAction, {
    error: null,
    email,
  });
  const message = state.error ?? notice;
  const tone = state.error ? "error" : noticeTone;
  return (
    <form action={formAction} className="space-y-4">
      <FormAlert tone={tone}>{message}</FormAlert>
      <TextField
        id="email"
        name="email"
        label="Email"
        type="email"
        autoComplete="username"
        required
        defaultValue={state.email}
      />
      <TextField
        id="password"
        name="password"
        label="Password"
        type="password"
        autoComplete="current-password"
        required
      />
      <button type="submit" disabled={pending} className={PRIMARY_SUBMIT}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
