"use client";

import { useRouter } from "next/navigation";
import { useId, useTransition } from "react";

/** "Rows per page" as a select; each size is a link the caller built, so state stays in the URL. */
export function DataTablePageSize({
  value,
  options,
}: {
  value: number;
  options: readonly { size: number; href: string }[];
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const id = useId();
  return (
    <div className="flex items-center gap-2 text-zinc-600 dark:text-zinc-400" aria-busy={pending}>
      <label htmlFor={id}>Rows per page</label>
      <select
        id={id}
        value={value}
        onChange={(e) => {
          const href = options.find((o) => o.size === Number(e.target.value))?.href;
          if (href) startTransition(() => router.push(href, { scroll: false }));
        }}
        className="h-8 rounded-md border border-zinc-300 bg-white px-2 text-zinc-900 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
      >
        {options.map((o) => (
          <option key={o.size} value={o.size}>
            {o.size}
          </option>
        ))}
      </select>
    </div>
  );
}
