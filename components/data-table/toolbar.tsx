"use client";

import { LoaderCircle, Search } from "lucide-react";
import { type ReactNode, useEffect, useRef, useState } from "react";
import { cx } from "@/components/ui/cx";

export const CONTROL =
  "h-9 rounded-md border border-zinc-300 bg-white px-3 text-sm text-zinc-900 shadow-sm dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100";

/** The filters above a table; `busy` while the view they asked for loads. */
export function DataTableToolbar({
  busy,
  children,
  className,
}: {
  busy: boolean;
  children: ReactNode;
  className?: string;
}) {
  return (
    <search
      aria-busy={busy}
      className={cx("mb-4 flex flex-wrap items-end gap-x-3 gap-y-2", className)}
    >
      {children}
    </search>
  );
}

/**
 * A search box that filters as you type (after a pause) and at once on Enter. Without
 * JavaScript it is a plain GET form: `hidden` carries the rest of the view.
 */
export function DataTableSearch({
  id,
  label,
  name,
  action,
  value,
  hidden,
  placeholder,
  busy,
  delay = 300,
  onSearch,
  className,
}: {
  id: string;
  label: string;
  name: string;
  action: string;
  value: string;
  hidden: readonly (readonly [string, string])[];
  placeholder?: string;
  busy?: boolean;
  delay?: number;
  onSearch: (value: string) => void;
  className?: string;
}) {
  const [text, setText] = useState(value);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const sent = useRef(value);

  // A new URL (back button, "Clear filters") resets the box, unless it is what we just sent.
  useEffect(() => {
    if (value !== sent.current) {
      sent.current = value;
      setText(value);
    }
  }, [value]);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const send = (next: string) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    const trimmed = next.trim();
    if (trimmed === sent.current) return;
    sent.current = trimmed;
    onSearch(trimmed);
  };

  return (
    <form
      method="get"
      action={action}
      role="none"
      className={cx("relative flex min-w-0 max-w-full items-center", className)}
      onSubmit={(e) => {
        e.preventDefault();
        send(text);
      }}
    >
      {hidden.map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <Search
        aria-hidden="true"
        className="pointer-events-none absolute left-2.5 size-4 text-zinc-500 dark:text-zinc-400"
      />
      <input
        id={id}
        name={name}
        type="search"
        value={text}
        maxLength={200}
        placeholder={placeholder}
        autoComplete="off"
        onChange={(e) => {
          const next = e.target.value;
          setText(next);
          if (timer.current) clearTimeout(timer.current);
          timer.current = setTimeout(() => send(next), delay);
        }}
        className={`${CONTROL} w-64 min-w-0 max-w-full pl-8 pr-8`}
      />
      {busy ? (
        <LoaderCircle
          aria-hidden="true"
          className="pointer-events-none absolute right-2.5 size-4 animate-spin text-zinc-500"
        />
      ) : null}
    </form>
  );
}
