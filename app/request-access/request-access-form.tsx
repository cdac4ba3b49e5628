"use client";

import { useActionState } from "react";
import { FormAlert, PRIMARY_SUBMIT, TextField } from "@/components/ui/form-fields";
import { ACCESS_REQUEST_LIMITS } from "@/model/limits";
import { type RequestAccessState, requestAccessAction } from "./actions";

const SENT =
  "Thanks. If this address can join, the workspace's admins will review your request, and you'll get an email when they decide.";

export function RequestAccessForm() {
  const [state, formAction, pending] = useActionState<RequestAccessState, FormData>(
    requestAccessAction,
    { sent: false, error: null, fieldErrors: {}, values: { name: "", email: "", message: "" } },
  );
  const messageNote =
    state.fieldErrors.message ?? `Optional, up to ${ACCESS_REQUEST_LIMITS.message} characters.`;
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormAlert>{state.error}</FormAlert>
      <FormAlert tone="success">{state.sent ? SENT : null}</FormAlert>
      <TextField
        id="name"
        name="name"
        label="Name"
        autoComplete="name"
        required
        maxLength={ACCESS_REQUEST_LIMITS.name}
        defaultValue={state.values.name}
        error={state.fieldErrors.name}
      />
      <TextField
        id="email"
        name="email"
        label="Email"
        type="email"
        autoComplete="email"
        required
        defaultValue={state.values.email}
        error={state.fieldErrors.email}
      />
      <div className="space-y-1">
        <label htmlFor="message" className="block text-sm font-medium">
          Message
        </label>
        <textarea
          id="message"
          name="message"
          rows={4}
          maxLength={ACCESS_REQUEST_LIMITS.message}
          defaultValue={state.values.message}
          aria-invalid={state.fieldErrors.message ? true : undefined}
          aria-describedby="message-note"
          className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm aria-invalid:border-red-500 dark:border-zinc-700 dark:bg-zinc-900"
        />
        <p
          id="message-note"
          className={`text-xs ${state.fieldErrors.message ? "text-red-700 dark:text-red-300" : "text-zinc-600 dark:text-zinc-400"}`}
        >
          {messageNote}
        </p>
      </div>
      <button type="submit" disabled={pending} className={PRIMARY_SUBMIT}>
        {pending ? "Sending…" : "Request access"}
      </button>
    </form>
  );
}
