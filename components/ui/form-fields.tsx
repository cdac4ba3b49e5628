import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";
import { PASSWORD_MIN_LENGTH } from "@/model/limits";

const INPUT =
  "block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm aria-invalid:border-red-500 read-only:text-zinc-600 dark:border-zinc-700 dark:bg-zinc-900 dark:aria-invalid:border-red-400 dark:read-only:text-zinc-400";

/**
 * A form's message: an error is role="alert", so screen readers hear it as it appears; a success
 * ("Your password is set") is a polite status, in green.
 */
export function FormAlert({
  children,
  tone = "error",
}: {
  children: ReactNode;
  tone?: "error" | "success";
}) {
  if (!children) return null;
  if (tone === "success") {
    return (
      <div
        role="status"
        className="rounded-md border border-emerald-300 bg-emerald-50 px-3 py-2 text-sm text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-200"
      >
        {children}
      </div>
    );
  }
  return (
    <div
      role="alert"
      className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
    >
      {children}
    </div>
  );
}

type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, "id"> & {
  id: string;
  label: string;
  /** Shown under the field; replaced by the error when there is one. */
  hint?: string;
  error?: string | null;
};

/** A field's hint, or its error in red. */
function FieldNote({ id, note, error }: { id: string; note?: string | null; error: boolean }) {
  if (!note) return null;
  return (
    <p
      id={id}
      className={`text-xs ${error ? "text-red-700 dark:text-red-300" : "text-zinc-600 dark:text-zinc-400"}`}
    >
      {note}
    </p>
  );
}

/** A labelled input whose hint or error is tied to it with aria-describedby. */
export function TextField({ id, label, hint, error, ...input }: TextFieldProps) {
  const note = error ?? hint;
  const noteId = `${id}-note`;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={note ? noteId : undefined}
        className={INPUT}
        {...input}
      />
      <FieldNote id={noteId} note={note} error={Boolean(error)} />
    </div>
  );
}

type SelectFieldProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, "id"> & {
  id: string;
  label: string;
  options: readonly { value: string; label: string }[];
  hint?: string;
  error?: string | null;
};

/** A labelled select whose hint or error is tied to it with aria-describedby. */
export function SelectField({ id, label, options, hint, error, ...select }: SelectFieldProps) {
  const note = error ?? hint;
  const noteId = `${id}-note`;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <select
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={note ? noteId : undefined}
        className={`${INPUT} h-9`}
        {...select}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldNote id={noteId} note={note} error={Boolean(error)} />
    </div>
  );
}

/** "Password" and "Confirm password" for someone choosing a password, with their errors. */
export function NewPasswordFields({
  errors,
}: {
  errors: { password?: string | null; confirm?: string | null };
}) {
  return (
    <>
      <TextField
        id="password"
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        hint={`At least ${PASSWORD_MIN_LENGTH} characters.`}
        error={errors.password}
      />
      <TextField
        id="confirm"
        name="confirm"
        label="Confirm password"
        type="password"
        autoComplete="new-password"
        required
        error={errors.confirm}
      />
    </>
  );
}

export const PRIMARY_SUBMIT =
  "w-full rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white hover:bg-indigo-500 disabled:opacity-60";
