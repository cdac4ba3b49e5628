"use client";

import { useLifecycleRules } from "@/components/lifecycle-rules";
import { Button } from "@/components/ui/button";
import { formatCount, plural } from "@/lib/format";
import type { JobView } from "@/lib/jobs/queries";
import type { MenuRules } from "@/lib/users/lifecycle";
import { IMPORT_JOB, IMPORT_WORDING } from "@/model/import-csv";
import { JOB_UNDO_MINUTES } from "@/model/limits";
import { SKIP_REASONS, type SkipCode } from "@/model/skip-reasons";
import { NEW_USER_VERBS, skipReason } from "@/model/verbs";

const n = formatCount;
const users = (x: number) => plural(x, "user");

/** "Archive 17,211 users": who changes, as the confirmation said (the skipped are said below). */
function jobTitle(rules: MenuRules, job: JobView): string {
  const verb = jobVerb(rules, job);
  return `${verb} ${users(job.planned?.changes ?? job.total)}`;
}

/** The verb a job's card names: its action's, Invite's, or Import CSV's. */
export function jobVerb(
  rules: MenuRules,
  job: Pick<JobView, "action" | "kind" | "newUserAction">,
): string {
  if (job.action) return rules[job.action].verb;
  if (job.newUserAction) return NEW_USER_VERBS[job.newUserAction].wording.verb;
  return job.kind === IMPORT_JOB ? IMPORT_WORDING.verb : "Job";
}

function eta(seconds: number | null): string | null {
  if (seconds === null) return null;
  if (seconds < 60) return `about ${Math.max(1, seconds)} s left`;
  return `about ${Math.ceil(seconds / 60)} min left`;
}

/** "12 skipped: 10 ranked the same as or above you, 2 changed by someone else." */
function skippedSummary(
  action: JobView["action"],
  job: {
    skipped: number;
    skippedByReason: JobView["skippedByReason"];
  },
): string {
  if (job.skipped === 0) return "none skipped";
  const parts = Object.entries(job.skippedByReason)
    .filter(([, count]) => (count ?? 0) > 0)
    .map(
      ([code, count]) =>
        `${n(count ?? 0)} ${(action
          ? skipReason(action, code as SkipCode)
          : SKIP_REASONS[code as SkipCode]
        )
          .replace(/\.$/, "")
          .toLowerCase()}`,
    );
  return `${n(job.skipped)} skipped: ${parts.join("; ")}`;
}

const timeFormat = new Intl.DateTimeFormat("en", {
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZone: "UTC",
});

/** "14:32 UTC": until when an ended job may be undone; null once that has passed. */
function undoUntil(job: Pick<JobView, "finishedAt" | "done">, now = Date.now()): string | null {
  if (!job.finishedAt || job.done === 0) return null;
  const until = new Date(job.finishedAt).getTime() + JOB_UNDO_MINUTES * 60_000;
  return until > now ? `${timeFormat.format(until)} UTC` : null;
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
  onDismiss,
  onUndo,
}: {
  job: JobView;
  canCancel: boolean;
  cancelling: boolean;
  onCancel: () => void;
  /** Above the users table: its starter closes an ended job's card (it stays on /jobs). */
  onDismiss?: () => void;
  /** Offered while Undo is (JOB_UNDO_MINUTES after the job ended) to who may run the inverse. */
  onUndo?: () => void;
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
        {!open && onUndo && undoUntil(job) ? (
          <Button size="sm" variant="secondary" onClick={onUndo} aria-label={`Undo ${title}`}>
            Undo
          </Button>
        ) : null}
        {!open && onDismiss ? (
          <Button size="sm" variant="ghost" onClick={onDismiss} aria-label={`Dismiss ${title}`}>
            Dismiss
          </Button>
        ) : null}
      </div>
      {open && job.planned && job.planned.skipped > 0 ? (
        <p className="mt-1 text-zinc-600 dark:text-zinc-400">
          As confirmed: {skippedSummary(job.action, job.planned)}.
        </p>
      ) : null}
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
          {`${jobVerb(rules, job)}: `}
          {users(job.done)} done; {skippedSummary(job.action, job)}.
          {job.status === "cancelled" ? ` Cancelled: ${users(job.remaining)} left unchanged.` : ""}
          {job.error ? ` ${job.error}` : ""}
        </p>
      ) : null}
      {!open && onUndo && undoUntil(job) ? (
        <p className="mt-1 text-zinc-600 dark:text-zinc-400">
          Undo is available until {undoUntil(job)} ({JOB_UNDO_MINUTES} minutes after the job ended).
        </p>
      ) : null}
    </section>
  );
}
