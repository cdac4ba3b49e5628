"use server";

import { z } from "zod";
import type { JobView } from "@/lib/jobs/queries";
import {
  cancelJobAs,
  dismissJob as dismiss,
  jobsByIds,
  listJobs,
  openJobs,
} from "@/lib/jobs/queries";
import { type JobUndoPreview, previewJobUndo, startJobUndo } from "@/lib/lifecycle/undo";
import { runServerAction } from "@/lib/server-action";

const progressSchema = z.strictObject({
  /** "open": jobs still running or waiting; "recent": the jobs list; or these jobs by id. */
  scope: z.enum(["open", "recent"]),
  ids: z.array(z.uuid()).max(20),
});

export type JobsAnswer = { ok: true; jobs: JobView[] } | { ok: false; error: string };

/** What the progress bars poll: open (or recent) jobs, plus the ones this page is watching. */
export async function jobsProgress(input: z.input<typeof progressSchema>): Promise<JobsAnswer> {
  return runServerAction(
    {
      name: "jobsProgress",
      schema: progressSchema,
      permission: () => "users.view",
      denied: () => "You don't have permission to see jobs.",
      run: async (ctx, p) => {
        // Only the jobs of actions this role may run.
        const role = ctx.actor.role;
        const listed =
          p.scope === "open" ? await openJobs(ctx.db, ctx.actor) : await listJobs(ctx.db, role);
        const missing = p.ids.filter((id) => !listed.some((j) => j.id === id));
        // Above the users table, an ended job stays only for its starter (openJobs says which).
        const watched = (await jobsByIds(ctx.db, missing, role)).filter(
          (j) => p.scope === "recent" || j.status === "queued" || j.status === "running",
        );
        return { ok: true as const, jobs: [...listed, ...watched] };
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
  return runServerAction(
    {
      name: "cancelJob",
      schema: cancelSchema,
      permission: () => "users.view",
      denied: () => "You don't have permission to cancel jobs.",
      revalidate: ["/jobs"],
      run: (ctx, p) => cancelJobAs(ctx.db, ctx.actor, p.id),
    },
    input,
  );
}

const dismissSchema = z.strictObject({ id: z.uuid() });

/** Its starter closes an ended job's result card above the users table (it stays on /jobs). */
export async function dismissJob(
  input: z.input<typeof dismissSchema>,
): Promise<{ ok: true } | { ok: false; error: string }> {
  return runServerAction(
    {
      name: "dismissJob",
      schema: dismissSchema,
      permission: () => "users.view",
      denied: () => "You don't have permission to see jobs.",
      run: async (ctx, p) =>
        (await dismiss(ctx.db, p.id, ctx.actor.id))
          ? { ok: true as const }
          : { ok: false as const, error: "Only the admin who started a job closes its card." },
    },
    input,
  );
}

const undoSchema = z.strictObject({ id: z.uuid() });

/** What undoing a finished job would do (the usual preview): who goes back, who changed since. */
export async function previewUndoJob(input: z.input<typeof undoSchema>): Promise<JobUndoPreview> {
  return runServerAction(
    {
      name: "previewUndoJob",
      schema: undoSchema,
      permission: () => "users.view",
      denied: () => "You don't have permission to see jobs.",
      run: (ctx, p) => previewJobUndo(ctx.db, ctx.actor, p.id),
    },
    input,
  );
}

/** Undoes a finished job, as a job: the inverse on exactly whom it changed (checked again). */
export async function undoJob(
  input: z.input<typeof undoSchema>,
): Promise<{ ok: true; jobId: string } | { ok: false; error: string }> {
  return runServerAction(
    {
      name: "undoJob",
      schema: undoSchema,
      permission: () => "users.view",
      denied: () => "You don't have permission to undo jobs.",
      revalidate: ["/jobs", "/users"],
      run: async (ctx, p) => {
        const result = await startJobUndo(ctx.db, {
          actor: ctx.actor,
          jobId: p.id,
          seatLimit: ctx.seatLimit,
          requestId: ctx.requestId,
          baseUrl: ctx.baseUrl,
        });
        if (!result.ok) return { ok: false as const, error: result.error };
        if (!result.job) return { ok: false as const, error: "Nothing is left to undo." };
        return { ok: true as const, jobId: result.job.id };
      },
    },
    input,
  );
}
