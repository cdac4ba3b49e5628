import { type ReactNode, Suspense } from "react";
import { ConsoleNav } from "@/components/console-nav";
import { IntentLink } from "@/components/intent-link";
import { SeatsMeter } from "@/components/seats-meter";
import { ThemeToggle } from "@/components/theme-toggle";
import { Toaster } from "@/components/ui/toaster";
import { UserMenu } from "@/components/user-menu";
import { getDb } from "@/lib/db";
import { requireActor } from "@/lib/session";
import { pendingDeletionRequests } from "@/lib/users/deletion-requests";
import { seatsUsed } from "@/lib/users/queries";
import { seatLimit, workspaceSettings } from "@/lib/workspace-settings";
import { can } from "@/model/permissions";
import { signOutAction, signOutEverywhereAction } from "./sign-out";
import { ActionResultHost } from "./users/components/action-result-host";
import { WorkspaceReasons } from "./users/components/workspace-reasons";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const actor = await requireActor();
  const consoleUser = can(actor.role, "console.access");
  const db = await getDb();
  const { reasons, reasonRequired, deleteApproval } = await workspaceSettings(db);
  // Four-eyes delete: who may approve sees the requests waiting, counted (a few rows, indexed).
  const requests =
    deleteApproval && can(actor.role, "users.delete") ? await pendingDeletionRequests(db) : null;
  const links = [
    { href: "/users", label: "Users" },
    { href: "/audit", label: "Audit log" },
    ...(requests !== null ? [{ href: "/requests", label: "Requests", badge: requests }] : []),
    ...(can(actor.role, "users.view") ? [{ href: "/jobs", label: "Jobs" }] : []),
    ...(can(actor.role, "mailbox.view") ? [{ href: "/mailbox", label: "Mailbox" }] : []),
    ...(can(actor.role, "settings.manage") ? [{ href: "/settings", label: "Settings" }] : []),
  ];
  return (
    <div className="min-h-screen">
      <a
        href="#content"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:shadow dark:focus:bg-zinc-900"
      >
        Skip to content
      </a>
      <header className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-950">
        {/* Narrow screens: name and controls, then the navigation, then seats and who is signed in. */}
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
          <IntentLink href="/users" className="order-1 text-lg font-semibold tracking-tight">
            Roster
          </IntentLink>
          {consoleUser ? (
            <div className="order-3 w-full sm:order-2 sm:w-auto">
              <ConsoleNav links={links} />
            </div>
          ) : null}
          <div className="order-4 flex flex-wrap items-center gap-x-4 gap-y-1 text-sm sm:order-3 sm:ml-auto">
            {consoleUser ? (
              <Suspense
                fallback={
                  <span data-testid="seats" className="text-zinc-600 dark:text-zinc-400">
                    Counting seats…
                  </span>
                }
              >
                <Seats
                  settingsHref={can(actor.role, "settings.manage") ? "/settings#seats" : undefined}
                />
              </Suspense>
            ) : null}
            <UserMenu
              name={actor.name}
              role={actor.role}
              onSignOutEverywhere={signOutEverywhereAction}
            />
          </div>
          <div className="order-2 ml-auto flex items-center gap-2 text-sm sm:order-4 sm:ml-0">
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
      <WorkspaceReasons choices={reasons} required={reasonRequired}>
        <div id="content" className="mx-auto max-w-7xl px-4 py-6">
          {children}
        </div>
        <Toaster />
        <ActionResultHost />
      </WorkspaceReasons>
    </div>
  );
}

/** Streamed in: the shell never waits for the count (one read of the counts table). */
async function Seats({ settingsHref }: { settingsHref: string | undefined }) {
  const db = await getDb();
  const [used, limit] = await Promise.all([seatsUsed(db), seatLimit(db)]);
  return <SeatsMeter used={used} limit={limit} settingsHref={settingsHref} />;
}
