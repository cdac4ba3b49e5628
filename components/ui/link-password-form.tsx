"use client";

import { useActionState } from "react";
import type { LinkPasswordState } from "@/lib/password";
import { FormAlert, NewPasswordFields, PRIMARY_SUBMIT, TextField } from "./form-fields";

/** The form of a page opened from an emailed link (invitation, reset): the address, a new password. */
export function LinkPasswordForm({
  token,
  email,
  action,
  submit,
}: {
  token: string;
  email: string;
  action: (prev: LinkPasswordState, form: FormData) => Promise<LinkPasswordState>;
  submit: string;
}) {
  const [state, formAction, pending] = useActionState<LinkPasswordState, FormData>(action, {
    error: null,
    fieldErrors: {},
  });
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
      <NewPasswordFields errors={state.fieldErrors} />
      <button type="submit" disabled={pending} className={PRIMARY_SUBMIT}>
        {pending ? "Setting your password…" : submit}
      </button>
    </form>
  );
}
