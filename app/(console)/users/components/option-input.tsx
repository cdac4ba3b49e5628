"use client";

import { useTimeZone } from "@/components/local-time";
import { Checkbox } from "@/components/ui/checkbox";
import { rolesBelow } from "@/model/permissions";
import { ROLE_LABELS, type UserRole } from "@/model/roles";
import type { OptionField } from "@/model/verbs/fields";

const CONTROL =
  "mt-1 block h-9 w-full rounded-md border border-zinc-300 bg-white px-3 text-sm shadow-sm outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 dark:border-zinc-700 dark:bg-zinc-900";

/**
 * One option of the verb, as its schema asks: a checkbox, a typed confirmation, a date or a
 * time, or a role (only the roles the viewer may give; the server refuses any other).
 */
export function OptionInput({
  id,
  field,
  who,
  viewerRole,
  value,
  disabled,
  onChange,
}: {
  id: string;
  field: OptionField;
  who: string;
  viewerRole: UserRole;
  value: boolean | string | undefined;
  disabled: boolean;
  onChange: (value: boolean | string) => void;
}) {
  const timeZone = useTimeZone();
  if (field.kind === "checkbox") {
    return (
      <div className="flex items-center gap-2 text-sm">
        <Checkbox
          id={id}
          checked={value === true}
          disabled={disabled}
          onChange={(e) => onChange(e.target.checked)}
        />
        <label htmlFor={id}>{field.label(who)}</label>
      </div>
    );
  }
  if (field.kind === "role") {
    return (
      <div>
        <label htmlFor={id} className="block text-sm font-medium">
          {field.label(who)}
        </label>
        <select
          id={id}
          required={field.required}
          disabled={disabled}
          value={typeof value === "string" ? value : ""}
          onChange={(e) => onChange(e.target.value)}
          className={CONTROL}
        >
          <option value="" disabled>
            Choose a role
          </option>
          {rolesBelow(viewerRole).map((role) => (
            <option key={role} value={role}>
              {ROLE_LABELS[role]}
            </option>
          ))}
        </select>
      </div>
    );
  }
  const typed = field.kind === "typed";
  return (
    <div className={typed ? "mt-2" : undefined}>
      <label
        htmlFor={id}
        className={
          typed ? "block text-sm text-red-900 dark:text-red-100" : "block text-sm font-medium"
        }
      >
        {typed ? field.label : field.label(who)}
      </label>
      <input
        id={id}
        type={typed ? "text" : field.inputType}
        autoComplete="off"
        spellCheck={false}
        disabled={disabled}
        value={typeof value === "string" ? value : ""}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={field.kind === "datetime" ? `${id}-zone` : undefined}
        className={
          typed
            ? "mt-1 block h-9 w-full rounded-md border border-red-300 bg-white px-3 font-mono text-sm shadow-sm outline-none focus:border-red-500 focus:ring-2 focus:ring-red-500/30 dark:border-red-800 dark:bg-zinc-900"
            : CONTROL
        }
      />
      {field.kind === "datetime" ? (
        <p id={`${id}-zone`} className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
          In your time zone ({timeZone}); stored in UTC.
          {field.clearable ? " Leave it empty to clear the date." : ""}
        </p>
      ) : null}
    </div>
  );
}
