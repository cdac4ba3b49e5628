import type { Metadata } from "next";
import { NoAccess } from "@/components/no-access";
import { getDb } from "@/db";
import { listJobs } from "@/lib/jobs/queries";
import { requireActor } from "@/lib/session";
import { can } from "@/lib/users/permissions";
import { JobsPanel } from "./jobs-panel";

export const metadata: Metadata = { title: "Jobs" };

/** Long work (large selections), newest first, with live progress. */
export default async function JobsPage() {
  const actor = await requireActor();
  if (!can(actor.role, "users.view")) return <NoAccess />;
  const jobs = await listJobs(await getDb());
  return (
    <main>
      <h1 className="mb-4 text-2xl font-semibold tracking-tight">Jobs</h1>
      <JobsPanel initial={jobs} scope="recent" role={actor.role} />
    </main>
  );
}
