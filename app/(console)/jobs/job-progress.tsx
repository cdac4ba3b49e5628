"use client";

import { useLifecycleRules } from "@/components/lifecycle-rules";
import { Button } from "@/components/ui/button";
import type { JobView } from "@/lib/jobs/queries";
import type { MenuRules } from "@/lib/users/lifecycle";
import { SKIP_REASONS, type SkipCode } from "@/lib/users/skip-reasons";

const n = (x: number) => x.toLocaleString("en");
const users = (x: number) => `${n(x)} ${x === 1 ? "user" : "users"}`;

function jobTitle(rules: MenuRules, job: JobView): string {
  const verb = job.action ? rules[job.action].verb : job.kind;
  return `${verb} ${users(job.total)}`;
}

function eta(seconds: number | null): string | null {
  if (seconds === null) return null;
  if (seconds < 60) return `about ${Math.max(1, seconds)} s left`;
  return `about ${Math.ceil(seconds / 60)} min left`;
}

/** "12 skipped: 10 ranked the same as or above you, 2 changed by someone else." */
function skippedSummary(job: Pick<JobView, "skipped" | "skippedByReason">): string {
  if (job.skipped === 0) return "none skipped";
  const parts = Object.entries(job.skippedByReason)
    .filter(([, count]) => (count ?? 0) > 0)
    .map(
      ([code, count]) =>
        `${n(count ?? 0)} ${SKIP_REASONS[code as SkipCode].replace(/\.$/, "").toLowerCase()}`,
    );
  return `${n(job.skipped)} skipped: ${parts.join("; ")}`;
}

const STATUS_WORDS: Record<JobView["status"], string> = {
  queued: "Waiting to start",
  running: "Running",
  done: "Finished",
  cancelled: "Cancelled",
  failed: "Stopped",
};

/** One job: a progress bar with done / skipped / remaining and an estimate; its result once ended. */
export function JobProgress({
  job,
  canCancel,
  cancelling,
  onCancel,
}: {
  job: JobView;
  canCancel: boolean;
  cancelling: boolean;
  onCancel: () => void;
}) {
  const processed = job.total - job.remaining;
  const open = job.status === "queued" || job.status === "running";
  const percent = job.total === 0 ? 100 : Math.floor((processed / job.total) * 100);
  const rules = useLifecycleRules();
  const title = jobTitle(rules, job);
  return (
    <section
      aria-label={`Job: ${title}`}
      className="rounded-md border border-zinc-200 bg-white px-4 py-3 text-sm dark:border-zinc-800 dark:bg-zinc-950"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="font-medium">
          {title}
          <span className="ml-2 font-normal text-zinc-600 dark:text-zinc-400">
            {STATUS_WORDS[job.status]}
            {job.startedBy ? ` · started by ${job.startedBy}` : ""}
          </span>
        </h2>
        {open && canCancel ? (
          <Button
            size="sm"
            variant="secondary"
            onClick={onCancel}
            disabled={cancelling || job.cancelRequested}
          >
            {job.cancelRequested || cancelling ? "Cancelling…" : "Cancel job"}
          </Button>
        ) : null}
      </div>
      <div
        role="progressbar"
        aria-label={`Progress of ${title}`}
        aria-valuemin={0}
        aria-valuemax={job.total}
        aria-valuenow={processed}
        aria-valuetext={`${n(processed)} of ${n(job.total)}`}
        className="mt-2 h-2 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
      >
        <div
          className={`h-full rounded-full ${job.status === "failed" ? "bg-red-600" : "bg-indigo-600 dark:bg-indigo-400"}`}
          style={{ width: `${percent}%` }}
        />
      </div>
      <p className="mt-2 text-zinc-700 dark:text-zinc-300">
        {n(job.done)} done · {n(job.skipped)} skipped · {n(job.remaining)} remaining
        {open && eta(job.etaSeconds) ? ` · ${eta(job.etaSeconds)}` : ""}
      </p>
      {!open ? (
        <p role="status" className="mt-1 text-zinc-700 dark:text-zinc-300">
          {job.action ? `${rules[job.action].verb}: ` : ""}
          {users(job.done)} done; {skippedSummary(job)}.
          {job.status === "cancelled" ? ` Cancelled: ${users(job.remaining)} left unchanged.` : ""}
          {job.error ? ` ${job.error}` : ""}
        </p>
      ) : null}
    </section>
  );
}
