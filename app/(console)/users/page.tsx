import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { Suspense } from "react";
import { PendingNavigationProvider } from "@/components/data-table/pending";
import { getDb } from "@/db";
import { openJobs } from "@/lib/jobs/queries";
import { requireActor } from "@/lib/session";
import { can, type Person } from "@/lib/users/permissions";
import { listUsers, type Total, tabCounts, tabMatchCounts } from "@/lib/users/queries";
import { parseUsersView, TABS, type Tab, type UsersView, usersFilterOf } from "@/lib/users/view";
import { JobsPanel } from "../jobs/jobs-panel";
import { tabId, USERS_PANEL_ID } from "./components/tab-ids";
import { UsersSelectionProvider } from "./components/users-selection";
import { UsersTable } from "./components/users-table";
import { UsersTableSkeleton } from "./components/users-table-skeleton";
import { UsersTabs } from "./components/users-tabs";
import { UsersToolbar } from "./components/users-toolbar";

export const metadata: Metadata = { title: "Users" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** What each tab's badge counts: its users, or, while a search is on, its matches. */
async function tabTotals(view: UsersView): Promise<Record<Tab, Total>> {
  const db = await getDb();
  if (view.q) return tabMatchCounts(db, view);
  const counts = await tabCounts(db);
  return Object.fromEntries(TABS.map((t) => [t, { n: counts[t], capped: false }])) as Record<
    Tab,
    Total
  >;
}

export default async function UsersPage({ searchParams }: Props) {
  const actor = await requireActor();
  if (!can(actor.role, "users.view")) forbidden();
  const view = parseUsersView(await searchParams);
  // Started now, awaited inside Suspense: no count holds the page shell back.
  const totals = tabTotals(view);
  return (
    <main>
      <h1 className="mb-4 text-2xl font-semibold tracking-tight">Users</h1>
      <Suspense fallback={null}>
        <StreamedJobs role={actor.role} />
      </Suspense>
      <PendingNavigationProvider>
        <Suspense fallback={<UsersTabs counts={null} />}>
          <StreamedTabs totals={totals} />
        </Suspense>
        <div role="tabpanel" id={USERS_PANEL_ID} aria-labelledby={tabId(view.tab)}>
          <UsersToolbar canExport={can(actor.role, "users.export")} />
          {/* Keyed by the filter: the selection survives paging, not a new filter. */}
          <UsersSelectionProvider key={JSON.stringify(usersFilterOf(view))}>
            <Suspense
              // Showing or hiding a column keeps the table on screen; anything else reloads it.
              key={JSON.stringify({ ...view, cols: undefined })}
              fallback={<UsersTableSkeleton rows={view.size} />}
            >
              <UsersResults
                view={view}
                actor={{ id: actor.id, role: actor.role }}
                totals={totals}
              />
            </Suspense>
          </UsersSelectionProvider>
        </div>
      </PendingNavigationProvider>
    </main>
  );
}

async function StreamedJobs({ role }: { role: Person["role"] }) {
  return <JobsPanel initial={await openJobs(await getDb())} scope="open" role={role} />;
}

async function StreamedTabs({ totals }: { totals: Promise<Record<Tab, Total>> }) {
  return <UsersTabs counts={await totals} />;
}

async function UsersResults({
  view,
  actor,
  totals,
}: {
  view: UsersView;
  actor: Person;
  totals: Promise<Record<Tab, Total>>;
}) {
  const page = await listUsers(await getDb(), view);
  // An empty search says where its matches are: "2 matches in Inactive".
  const elsewhere =
    page.rows.length === 0 && view.q
      ? Object.entries(await totals)
          .filter(([tab, t]) => tab !== view.tab && t.n > 0)
          .map(([tab, t]) => ({ tab: tab as Tab, ...t }))
      : [];
  return (
    <UsersTable
      view={view}
      rows={page.rows}
      total={page.total}
      prev={page.prev}
      next={page.next}
      elsewhere={elsewhere}
      actor={actor}
    />
  );
}
