"use client";

import { useActionState } from "react";
import {
  FormAlert,
  NewPasswordFields,
  PRIMARY_SUBMIT,
  TextField,
} from "@/components/ui/form-fields";
import { type AcceptFormState, acceptInvitationAction } from "./actions";

export function AcceptForm({ token, email }: { token: string; email: string }) {
  const [state, formAction, pending] = useActionState<AcceptFormState, FormData>(
    acceptInvitationAction,
    { error: null, fieldErrors: {} },
  );
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
        {pending ? "Setting your password…" : "Accept invitation"}
      </button>
    </form>
  );
}
