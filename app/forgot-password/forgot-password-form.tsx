"use client";

import { useActionState } from "react";
import { FormAlert, PRIMARY_SUBMIT, TextField } from "@/components/ui/form-fields";
import { type ForgotPasswordState, forgotPasswordAction } from "./actions";

const RESET_SENT =
  "If that address belongs to an account that can sign in, we've emailed it a link to reset the password. The link works once and expires in 1 hour.";

export function ForgotPasswordForm() {
  const [state, formAction, pending] = useActionState<ForgotPasswordState, FormData>(
    forgotPasswordAction,
    { sent: false, error: null, fieldError: null, email: "" },
  );
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormAlert>{state.error}</FormAlert>
      <FormAlert tone="success">{state.sent ? RESET_SENT : null}</FormAlert>
      <TextField
        id="email"
        name="email"
        label="Email"
        type="email"
        autoComplete="username"
        required
        defaultValue={state.email}
        error={state.fieldError}
      />
      <button type="submit" disabled={pending} className={PRIMARY_SUBMIT}>
        {pending ? "Sending…" : "Send reset link"}
      </button>
    </form>
  );
}
