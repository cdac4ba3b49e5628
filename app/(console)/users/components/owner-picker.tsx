"use client";

import { Check, Search } from "lucide-react";
import { type RefObject, useEffect, useId, useRef, useState } from "react";
import { cx } from "@/components/ui/cx";
import type { EligibleOwner, Selection } from "@/lib/users/verb-types";
import type { Verb } from "@/model/verbs";
import { searchNewOwners } from "./action-client";

/**
 * "New owner": a search box (ARIA combobox) over an always-visible list of eligible owners
 * (active admins and the owner). Arrow keys move, Enter picks, and so does a click.
 */
export function OwnerPicker({
  action,
  selection,
  value,
  onChange,
  inputRef,
}: {
  /** A verb that moves records (its rule says `needsTransfer`). */
  action: Verb;
  /** The users being changed: the server leaves out those the action changes, at any size. */
  selection: Selection;
  value: EligibleOwner | null;
  onChange: (owner: EligibleOwner) => void;
  inputRef?: RefObject<HTMLInputElement | null>;
}) {
  const id = useId();
  const [query, setQuery] = useState("");
  const [options, setOptions] = useState<EligibleOwner[] | null>(null);
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const selectionKey = JSON.stringify(selection);
  const latest = useRef(0);

  useEffect(() => {
    const ticket = ++latest.current;
    const timer = setTimeout(
      () => {
        searchNewOwners({ query, action, selection: JSON.parse(selectionKey) as Selection })
          .then((found) => {
            if (ticket !== latest.current) return;
            if (!found.ok) {
              setError(found.error);
              return;
            }
            setOptions(found.owners);
            setError(null);
            setActive(0);
          })
          .catch(() => {
            if (ticket === latest.current) setError("Couldn't load eligible owners. Try again.");
          });
      },
      query ? 150 : 0,
    );
    return () => clearTimeout(timer);
  }, [query, action, selectionKey]);

  const listId = `${id}-list`;
  const optionId = (i: number) => `${id}-option-${i}`;
  const activeOption = options?.[active];

  function pick(owner: EligibleOwner) {
    onChange(owner);
  }

  return (
    <div>
      <label htmlFor={`${id}-input`} className="block text-sm font-medium">
        New owner
      </label>
      <p id={`${id}-hint`} className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">
        An active admin or the workspace owner.
      </p>
      <div className="relative mt-2">
        <Search
          aria-hidden="true"
          className="pointer-events-none absolute left-2.5 top-2.5 size-4 text-zinc-400"
        />
        <input
          id={`${id}-input`}
          role="combobox"
          aria-expanded={true}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-describedby={`${id}-hint`}
          aria-activedescendant={activeOption ? optionId(active) : undefined}
          ref={inputRef}
          autoComplete="off"
          placeholder="Search admins by name or email"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (!options || options.length === 0) return;
            if (e.key === "ArrowDown") {
              e.preventDefault();
              setActive((i) => Math.min(options.length - 1, i + 1));
            } else if (e.key === "ArrowUp") {
              e.preventDefault();
              setActive((i) => Math.max(0, i - 1));
            } else if (e.key === "Home") {
              e.preventDefault();
              setActive(0);
            } else if (e.key === "End") {
              e.preventDefault();
              setActive(options.length - 1);
            } else if (e.key === "Enter" && activeOption) {
              e.preventDefault();
              pick(activeOption);
            }
          }}
          className="h-9 w-full rounded-md border border-zinc-300 bg-white pl-8 pr-3 text-sm shadow-sm outline-none placeholder:text-zinc-400 focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 dark:border-zinc-700 dark:bg-zinc-900 dark:placeholder:text-zinc-500"
        />
      </div>
      {/* A listbox must hold options: while loading, empty or failed, its place is a status. */}
      {options && options.length > 0 && !error ? (
        <div
          id={listId}
          role="listbox"
          aria-label="Eligible owners"
          className="mt-2 max-h-44 min-h-12 overflow-y-auto rounded-md border border-zinc-200 p-1 dark:border-zinc-800"
        >
          {options.map((owner, i) => {
            const selected = value?.id === owner.id;
            return (
              <div
                key={owner.id}
                id={optionId(i)}
                role="option"
                tabIndex={-1}
                aria-selected={selected}
                onMouseEnter={() => setActive(i)}
                onClick={() => pick(owner)}
                onKeyDown={(e) => {
                  if (e.key === "Enter" || e.key === " ") {
                    e.preventDefault();
                    pick(owner);
                  }
                }}
                className={cx(
                  "flex cursor-pointer items-center gap-3 rounded px-2 py-1.5 text-sm",
                  i === active && "bg-zinc-100 dark:bg-zinc-800",
                )}
              >
                <span
                  aria-hidden="true"
                  className="flex size-7 shrink-0 items-center justify-center rounded-full bg-indigo-100 text-xs font-semibold text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300"
                >
                  {initials(owner.name)}
                </span>
                <span className="min-w-0 flex-1">
                  <span className="block truncate font-medium">{owner.name}</span>
                  <span className="block truncate text-xs text-zinc-600 dark:text-zinc-400">
                    {owner.email} · <span className="capitalize">{owner.role}</span>
                  </span>
                </span>
                {selected ? (
                  <Check
                    aria-hidden="true"
                    className="size-4 shrink-0 text-indigo-600 dark:text-indigo-400"
                  />
                ) : null}
              </div>
            );
          })}
        </div>
      ) : (
        <div
          id={listId}
          role="status"
          className="mt-2 max-h-44 min-h-12 overflow-y-auto rounded-md border border-zinc-200 p-1 dark:border-zinc-800"
        >
          {error ? (
            <p className="px-2 py-2 text-sm text-red-700 dark:text-red-400">{error}</p>
          ) : options === null ? (
            <p className="px-2 py-2 text-sm text-zinc-600 dark:text-zinc-400">Loading…</p>
          ) : (
            <p className="px-2 py-2 text-sm text-zinc-600 dark:text-zinc-400">
              No eligible admin matches “{query}”.
            </p>
          )}
        </div>
      )}
    </div>
  );
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .slice(0, 2)
    .map((part) => part[0] ?? "")
    .join("")
    .toUpperCase();
}
