import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { Suspense } from "react";
import { getDb } from "@/db";
import { openJobs } from "@/lib/jobs/queries";
import { requireActor } from "@/lib/session";
import { can, type Person } from "@/lib/users/permissions";
import { isWholeTab, listUsers, tabCounts } from "@/lib/users/queries";
import { parseUsersView, type UsersView } from "@/lib/users/view";
import { JobsPanel } from "../jobs/jobs-panel";
import { UsersTable } from "./components/users-table";
import { UsersTableSkeleton } from "./components/users-table-skeleton";
import { UsersTabs } from "./components/users-tabs";
import { UsersToolbar } from "./components/users-toolbar";

export const metadata: Metadata = { title: "Users" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function UsersPage({ searchParams }: Props) {
  const actor = await requireActor();
  if (!can(actor.role, "users.view")) forbidden();
  const view = parseUsersView(await searchParams);
  const db = await getDb();
  const [counts, jobs] = await Promise.all([tabCounts(db), openJobs(db)]);
  return (
    <main>
      <h1 className="mb-4 text-2xl font-semibold tracking-tight">Users</h1>
      <JobsPanel initial={jobs} scope="open" role={actor.role} />
      <UsersTabs view={view} counts={counts} />
      <UsersToolbar view={view} canExport={can(actor.role, "users.export")} />
      <Suspense
        // Showing or hiding a column keeps the table on screen; anything else reloads it.
        key={JSON.stringify({ ...view, cols: undefined })}
        fallback={<UsersTableSkeleton rows={Math.min(view.size, counts[view.tab])} />}
      >
        <UsersResults
          view={view}
          actor={{ id: actor.id, role: actor.role }}
          knownTotal={isWholeTab(view) ? counts[view.tab] : undefined}
        />
      </Suspense>
    </main>
  );
}

async function UsersResults({
  view,
  actor,
  knownTotal,
}: {
  view: UsersView;
  actor: Person;
  knownTotal: number | undefined;
}) {
  const { rows, total } = await listUsers(await getDb(), view, knownTotal);
  return <UsersTable view={view} rows={rows} total={total} actor={actor} />;
}
