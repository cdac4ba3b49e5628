import { Inbox, type LucideIcon } from "lucide-react";
import type { ReactNode } from "react";

/** What an empty table says: a heading and what to do next. */
export function DataTableEmpty({
  title,
  body,
  icon: Icon = Inbox,
  children,
}: {
  title: string;
  body?: ReactNode;
  icon?: LucideIcon;
  children?: ReactNode;
}) {
  return (
    <div className="flex flex-col items-center justify-center px-6 py-16 text-center">
      <Icon
        aria-hidden="true"
        className="size-10 text-zinc-300 dark:text-zinc-700"
        strokeWidth={1.5}
      />
      <h2 className="mt-3 text-sm font-semibold">{title}</h2>
      {body ? (
        <p className="mt-1 max-w-md text-sm text-zinc-600 dark:text-zinc-400">{body}</p>
      ) : null}
      {children}
    </div>
  );
}
