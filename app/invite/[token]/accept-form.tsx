"use client";

import { useActionState } from "react";
import { FormAlert, PRIMARY_SUBMIT, TextField } from "@/components/ui/form-fields";
import { type AcceptFormState, acceptInvitationAction } from "./actions";

export function AcceptForm({ token, email }: { token: string; email: string }) {
  const [state, formAction, pending] = useActionState<AcceptFormState, FormData>(
    acceptInvitationAction,
    { error: null, fieldErrors: {} },
  );
  const { password: passwordError, confirm: confirmError } = state.fieldErrors;
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormAlert>{state.error}</FormAlert>
      <input type="hidden" name="token" value={token} />
      <TextField
        id="email"
        label="Email"
        type="email"
        autoComplete="username"
        value={email}
        readOnly
      />
      <TextField
        id="password"
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 8 characters."
        error={passwordError}
      />
      <TextField
        id="confirm"
        name="confirm"
        label="Confirm password"
        type="password"
        autoComplete="new-password"
        required
        error={confirmError}
      />
      <button type="submit" disabled={pending} className={PRIMARY_SUBMIT}>
        {pending ? "Setting your password…" : "Accept invitation"}
      </button>
    </form>
  );
}
