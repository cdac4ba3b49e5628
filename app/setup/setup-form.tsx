"use client";

import { useActionState } from "react";
import {
  FormAlert,
  NewPasswordFields,
  PRIMARY_SUBMIT,
  TextField,
} from "@/components/ui/form-fields";
import { type SetupState, setupAction } from "./actions";

export function SetupForm() {
  const [state, formAction, pending] = useActionState<SetupState, FormData>(setupAction, {
    error: null,
    fieldErrors: {},
    values: { code: "", name: "", email: "" },
  });
  const e = state.fieldErrors;
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormAlert>{state.error}</FormAlert>
      <TextField
        id="code"
        name="code"
        label="Setup code"
        autoComplete="off"
        spellCheck={false}
        required
        defaultValue={state.values.code}
        hint="Printed in the server's log when Roster started (“Setup code: …”), or the ROSTER_SETUP_TOKEN set by whoever runs it."
        error={e.code}
      />
      <TextField
        id="name"
        name="name"
        label="Name"
        autoComplete="name"
        required
        defaultValue={state.values.name}
        error={e.name}
      />
      <TextField
        id="email"
        name="email"
        label="Email"
        type="email"
        autoComplete="username"
        required
        defaultValue={state.values.email}
        error={e.email}
      />
      <NewPasswordFields errors={e} />
      <button type="submit" disabled={pending} className={PRIMARY_SUBMIT}>
        {pending ? "Creating the owner account…" : "Create owner account"}
      </button>
    </form>
  );
}
