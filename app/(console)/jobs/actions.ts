"use server";

import { z } from "zod";
import { runAction } from "@/lib/action";
import type { JobView } from "@/lib/jobs/queries";
import { jobsByIds, listJobs, openJobs, requestJobCancel } from "@/lib/jobs/queries";
import { LIFECYCLE } from "@/lib/users/lifecycle";
import { can } from "@/lib/users/permissions";

const progressSchema = z.strictObject({
  /** "open": jobs still running or waiting; "recent": the jobs list; or these jobs by id. */
  scope: z.enum(["open", "recent"]),
  ids: z.array(z.uuid()).max(20),
});

export type JobsAnswer = { ok: true; jobs: JobView[] } | { ok: false; error: string };

/** What the progress bars poll: open (or recent) jobs, plus the ones this page is watching. */
export async function jobsProgress(input: z.input<typeof progressSchema>): Promise<JobsAnswer> {
  return runAction(
    {
      name: "jobsProgress",
      schema: progressSchema,
      permission: () => "users.view",
      denied: () => "You don't have permission to see jobs.",
      run: async (ctx, p) => {
        const listed = p.scope === "open" ? await openJobs(ctx.db) : await listJobs(ctx.db);
        const missing = p.ids.filter((id) => !listed.some((j) => j.id === id));
        return { ok: true as const, jobs: [...listed, ...(await jobsByIds(ctx.db, missing))] };
      },
    },
    input,
  );
}

const cancelSchema = z.strictObject({ id: z.uuid() });

/** Stops a job before its next batch; what is done stays done. */
export async function cancelJob(
  input: z.input<typeof cancelSchema>,
): Promise<{ ok: true } | { ok: false; error: string }> {
  return runAction(
    {
      name: "cancelJob",
      schema: cancelSchema,
      permission: () => "users.view",
      denied: () => "You don't have permission to cancel jobs.",
      revalidate: ["/jobs"],
      run: async (ctx, p) => {
        const [job] = await jobsByIds(ctx.db, [p.id]);
        if (!job) return { ok: false as const, error: "That job doesn't exist." };
        const needed = job.action ? LIFECYCLE[job.action].permission : null;
        if (!needed || !can(ctx.actor.role, needed)) {
          return { ok: false as const, error: "You don't have permission to cancel this job." };
        }
        const cancelled = await requestJobCancel(ctx.db, p.id);
        if (!cancelled) return { ok: false as const, error: "That job has already ended." };
        return { ok: true as const };
      },
    },
    input,
  );
}
