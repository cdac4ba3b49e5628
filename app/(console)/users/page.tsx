import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { Suspense } from "react";
import { PendingNavigationProvider } from "@/components/data-table/pending";
import { getDb } from "@/lib/db";
import { openJobs } from "@/lib/jobs/queries";
import { readPolicy } from "@/lib/policies/define";
import { RETENTION } from "@/lib/policies/retention";
import { requireActor } from "@/lib/session";
import { listUsers, type Total, tabCounts, tabMatchCounts } from "@/lib/users/queries";
import { parseUsersView, TABS, type Tab, type UsersView, usersFilterOf } from "@/lib/users/view";
import { IMPORT_WORDING } from "@/model/import-csv";
import { can, type Person, rolesBelow } from "@/model/permissions";
import { NEW_USER_VERBS } from "@/model/verbs";
import { JobsPanel } from "../jobs/jobs-panel";
import { ImportCsvButton, InviteButton } from "./components/new-user-buttons";
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
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">Users</h1>
        {can(actor.role, NEW_USER_VERBS.invite.rule.permission) ? (
          <div className="flex flex-wrap gap-2">
            <ImportCsvButton label={IMPORT_WORDING.button} />
            <InviteButton
              label={NEW_USER_VERBS.invite.wording.title}
              roles={rolesBelow(actor.role)}
            />
          </div>
        ) : null}
      </div>
      <Suspense fallback={null}>
        <StreamedJobs actor={actor} />
      </Suspense>
      <PendingNavigationProvider>
        <Suspense fallback={<UsersTabs counts={null} />}>
          <StreamedTabs totals={totals} />
        </Suspense>
        <div role="tabpanel" id={USERS_PANEL_ID} aria-labelledby={tabId(view.tab)}>
          <UsersToolbar canExport={can(actor.role, "users.export")} />
          {/* Keyed by the filter: the selection survives paging, not a new filter. */}
          <UsersSelectionProvider key={JSON.stringify(usersFilterOf(view))} role={actor.role}>
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

async function StreamedJobs({ actor }: { actor: Person }) {
  return (
    <JobsPanel
      initial={await openJobs(await getDb(), actor)}
      scope="open"
      role={actor.role}
      viewerId={actor.id}
    />
  );
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
  const db = await getDb();
  const [page, retention] = await Promise.all([
    listUsers(db, view),
    view.tab === "archived" ? readPolicy(db, RETENTION) : null,
  ]);
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
      start={page.start}
      elsewhere={elsewhere}
      actor={actor}
      retentionDays={retention?.enabled ? retention.days : null}
    />
  );
}
