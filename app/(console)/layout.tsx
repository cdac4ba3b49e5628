import Link from "next/link";
import type { ReactNode } from "react";
import { ThemeToggle } from "@/components/theme-toggle";
import { getDb } from "@/db";
import { settings } from "@/lib/env";
import { requireActor } from "@/lib/session";
import { can } from "@/lib/users/permissions";
import { seatsUsed } from "@/lib/users/queries";
import { signOutAction } from "./sign-out";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const actor = await requireActor();
  const consoleUser = can(actor.role, "console.access");
  const used = consoleUser ? await seatsUsed(await getDb()) : 0;
  return (
    <div className="min-h-screen">
      <a
        href="#content"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:shadow dark:focus:bg-zinc-900"
      >
        Skip to content
      </a>
      <header className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-950">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
          <Link href="/users" className="text-lg font-semibold tracking-tight">
            Roster
          </Link>
          {consoleUser ? (
            <nav aria-label="Main" className="flex gap-4 text-sm">
              <Link href="/users" className="hover:underline">
                Users
              </Link>
              <Link href="/audit" className="hover:underline">
                Audit log
              </Link>
              {can(actor.role, "mailbox.view") ? (
                <Link href="/mailbox" className="hover:underline">
                  Mailbox
                </Link>
              ) : null}
            </nav>
          ) : null}
          <div className="ml-auto flex flex-wrap items-center justify-end gap-x-4 gap-y-1 text-sm">
            {consoleUser ? (
              <span data-testid="seats" className="text-zinc-600 dark:text-zinc-400">
                {used} of {settings().seats} seats
              </span>
            ) : null}
            <span className="text-zinc-600 dark:text-zinc-400">
              {actor.name} <span className="text-xs">({actor.role})</span>
            </span>
            <ThemeToggle />
            <form action={signOutAction}>
              <button
                type="submit"
                className="rounded-md px-2 py-1 hover:bg-zinc-100 dark:hover:bg-zinc-800"
              >
                Sign out
              </button>
            </form>
          </div>
        </div>
      </header>
      <div id="content" className="mx-auto max-w-7xl px-4 py-6">
        {children}
      </div>
    </div>
  );
}
