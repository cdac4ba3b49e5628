import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { getDb } from "@/lib/db";
import { listJobs } from "@/lib/jobs/queries";
import { requireActor } from "@/lib/session";
import { can } from "@/model/permissions";
import { JobsPanel } from "./jobs-panel";

export const metadata: Metadata = { title: "Jobs" };

/** Long work (large selections), newest first, with live progress. */
export default async function JobsPage() {
  const actor = await requireActor();
  // 403 with the no-access page, like every other console page.
  if (!can(actor.role, "users.view")) forbidden();
  const jobs = await listJobs(await getDb(), actor.role);
  return (
    <main>
      <h1 className="mb-4 text-2xl font-semibold tracking-tight">Jobs</h1>
      <JobsPanel initial={jobs} scope="recent" role={actor.role} />
    </main>
  );
}
