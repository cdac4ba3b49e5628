"use client";

import { useActionState } from "react";
import { type AcceptFormState, acceptInvitationAction } from "./actions";

const INPUT =
  "block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm aria-invalid:border-red-500 dark:border-zinc-700 dark:bg-zinc-900 dark:aria-invalid:border-red-400";

export function AcceptForm({ token, email }: { token: string; email: string }) {
  const [state, formAction, pending] = useActionState<AcceptFormState, FormData>(
    acceptInvitationAction,
    { error: null, fieldErrors: {} },
  );
  const { password: passwordError, confirm: confirmError } = state.fieldErrors;
  return (
    <form action={formAction} className="space-y-4" noValidate>
      {state.error ? (
        <div
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
        >
          {state.error}
        </div>
      ) : null}
      <input type="hidden" name="token" value={token} />
      <div className="space-y-1">
        <label htmlFor="email" className="block text-sm font-medium">
          Email
        </label>
        <input
          id="email"
          type="email"
          autoComplete="username"
          value={email}
          readOnly
          className={`${INPUT} text-zinc-600 dark:text-zinc-400`}
        />
      </div>
      <div className="space-y-1">
        <label htmlFor="password" className="block text-sm font-medium">
          Password
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          aria-invalid={passwordError ? true : undefined}
          aria-describedby="password-hint"
          className={INPUT}
        />
        <p
          id="password-hint"
          className={`text-xs ${passwordError ? "text-red-700 dark:text-red-300" : "text-zinc-600 dark:text-zinc-400"}`}
        >
          {passwordError ?? "At least 8 characters."}
        </p>
      </div>
      <div className="space-y-1">
        <label htmlFor="confirm" className="block text-sm font-medium">
          Confirm password
        </label>
        <input
          id="confirm"
          name="confirm"
          type="password"
          autoComplete="new-password"
          required
          aria-invalid={confirmError ? true : undefined}
          aria-describedby={confirmError ? "confirm-error" : undefined}
          className={INPUT}
        />
        {confirmError ? (
          <p id="confirm-error" className="text-xs text-red-700 dark:text-red-300">
            {confirmError}
          </p>
        ) : null}
      </div>
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white hover:bg-indigo-500 disabled:opacity-60"
      >
        {pending ? "Setting your password…" : "Accept invitation"}
      </button>
    </form>
  );
}
