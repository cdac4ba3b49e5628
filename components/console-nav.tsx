"use client";

import { usePathname } from "next/navigation";
import { IntentLink } from "@/components/intent-link";

/** The console's main navigation; the current section is marked for sight and for screen readers. */
export function ConsoleNav({
  links,
}: {
  /** `badge`: how many wait there (shown when more than 0). */
  links: { href: string; label: string; badge?: number }[];
}) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex flex-wrap gap-1 text-sm">
      {links.map((l) => {
        const current = pathname === l.href || pathname.startsWith(`${l.href}/`);
        return (
          <IntentLink
            key={l.href}
            href={l.href}
            aria-current={current ? "page" : undefined}
            className={`rounded-md px-2 py-1 ${
              current
                ? "bg-zinc-100 font-medium text-zinc-900 dark:bg-zinc-800 dark:text-zinc-100"
                : "text-zinc-700 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
            }`}
          >
            {l.label}
            {l.badge ? (
              <>
                <span
                  aria-hidden="true"
                  className="ml-1.5 rounded-full bg-red-700 px-1.5 py-0.5 text-xs font-semibold text-white"
                >
                  {l.badge}
                </span>
                <span className="sr-only">, {l.badge} waiting</span>
              </>
            ) : null}
          </IntentLink>
        );
      })}
    </nav>
  );
}
