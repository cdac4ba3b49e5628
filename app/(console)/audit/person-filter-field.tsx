"use client";

import { useState } from "react";
import type { AuditPerson } from "@/lib/audit/queries";

/**
 * The actor or target filter's field. Filtering by one person (`id:<uuid>`, picked from a list or
 * linked from the log), it shows their email and sends the id; typing in it drops the pick and
 * sends the text instead.
 */
export function PersonFilterField({
  id,
  name,
  label,
  value,
  picked,
  className,
  labelClassName,
}: {
  id: string;
  name: "actor" | "target";
  label: string;
  /** The filter as the URL holds it. */
  value: string;
  /** The person `value` names by id, if it does (name null: deleted since). */
  picked: AuditPerson | null;
  className: string;
  labelClassName: string;
}) {
  const [pick, setPick] = useState(picked ? value : null);
  const hintId = `${id}-picked`;
  return (
    <div>
      {/* The pick's note shares the label's line, so the fields of a row stay aligned. */}
      <div className="flex items-baseline justify-between gap-2">
        <label htmlFor={id} className={labelClassName}>
          {label}
        </label>
        {pick ? (
          <span
            id={hintId}
            className="mb-1 min-w-0 truncate text-xs text-zinc-600 dark:text-zinc-400"
          >
            One person: {picked?.name ?? "Deleted user"}
          </span>
        ) : null}
      </div>
      <input
        id={id}
        name={pick ? undefined : name}
        type="search"
        defaultValue={picked?.email ?? value}
        placeholder="Name, email or id"
        aria-describedby={pick ? hintId : undefined}
        onChange={() => setPick(null)}
        className={className}
      />
      {pick ? <input type="hidden" name={name} value={pick} /> : null}
    </div>
  );
}
