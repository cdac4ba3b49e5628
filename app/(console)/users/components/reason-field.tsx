"use client";

import { formatCount } from "@/lib/format";
import { REASON_MAX_LENGTH } from "@/model/limits";
import { chosenReason, pickReason } from "@/model/reasons";

/** Whether a reason fits what the audit log keeps (the server refuses longer: never cut). */
export function reasonFits(reason: string): boolean {
  return reason.trim().length <= REASON_MAX_LENGTH;
}

/**
 * The reason of an action: the workspace's choices (/settings, "Reasons") as buttons that put
 * one at the start of the text, and the text itself, free ("Security: a leaked password"), with
 * a counter ("120 / 500") and, past the limit, a message that says by how much. Nothing is cut:
 * a pasted text stays whole for the person to shorten. Optional, unless the workspace requires
 * one for this (destructive) action.
 */
export function ReasonField({
  id,
  value,
  disabled,
  required = false,
  choices = [],
  onChange,
}: {
  id: string;
  value: string;
  disabled: boolean;
  required?: boolean;
  choices?: readonly string[];
  onChange: (value: string) => void;
}) {
  const length = value.trim().length;
  const over = length - REASON_MAX_LENGTH;
  const chosen = chosenReason(value, choices);
  return (
    <div>
      <div className="flex items-baseline justify-between gap-2">
        <label htmlFor={`${id}-reason`} className="text-sm font-medium">
          Reason
        </label>
        <span id={`${id}-reason-hint`} className="text-xs text-zinc-500 dark:text-zinc-400">
          {required ? "Required by this workspace" : "Optional"} · kept in the audit log ·{" "}
          <span className="tabular-nums">
            {formatCount(length)} / {formatCount(REASON_MAX_LENGTH)}
          </span>
        </span>
      </div>
      {choices.length > 0 ? (
        // Not labelled "…reason…": the text field alone answers to "Reason".
        <fieldset aria-label="Common answers" className="mt-1 flex min-w-0 flex-wrap gap-1.5">
          {choices.map((choice) => (
            <button
              key={choice}
              type="button"
              aria-pressed={chosen === choice}
              disabled={disabled}
              onClick={() => onChange(pickReason(choice, value, choices))}
              className="rounded-full border border-zinc-300 px-2.5 py-0.5 text-xs text-zinc-700 hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 aria-pressed:border-indigo-600 aria-pressed:bg-indigo-50 aria-pressed:text-indigo-900 disabled:opacity-50 dark:border-zinc-700 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:aria-pressed:border-indigo-400 dark:aria-pressed:bg-indigo-950 dark:aria-pressed:text-indigo-100"
            >
              {choice}
            </button>
          ))}
        </fieldset>
      ) : null}
      <textarea
        id={`${id}-reason`}
        aria-describedby={over > 0 ? `${id}-reason-hint ${id}-reason-error` : `${id}-reason-hint`}
        aria-invalid={over > 0 || undefined}
        aria-required={required || undefined}
        rows={2}
        disabled={disabled}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        className="mt-1 block w-full resize-none rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-sm outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 aria-invalid:border-red-600 dark:border-zinc-700 dark:bg-zinc-900 dark:aria-invalid:border-red-400"
      />
      {over > 0 ? (
        <p
          id={`${id}-reason-error`}
          role="alert"
          className="mt-1 text-sm text-red-700 dark:text-red-300"
        >
          Keep the reason to {formatCount(REASON_MAX_LENGTH)} characters: {formatCount(over)} too
          many.
        </p>
      ) : null}
    </div>
  );
}
