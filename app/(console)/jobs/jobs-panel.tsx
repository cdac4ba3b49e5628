"use client";

import { useRouter } from "next/navigation";
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from "react";
import { useLifecycleRules } from "@/components/lifecycle-rules";
import { toast } from "@/components/ui/toaster";
import type { UserRole } from "@/db/schema";
import { formatCount } from "@/lib/format";
import type { JobView } from "@/lib/jobs/queries";
import { IMPORT_JOB } from "@/model/import-csv";
import { can } from "@/model/permissions";
import { cancelJob, dismissJob, jobsProgress } from "./actions";
import { JobProgress, jobVerb } from "./job-progress";

// Loads when Undo is first pressed: it and Radix's alert dialog stay out of the first-load JS.
const UndoJobDialog = lazy(() =>
  import("./undo-job-dialog").then((m) => ({ default: m.UndoJobDialog })),
);

/** Fired by the action flow when an action started a job, so that its bar shows at once. */
export const JOB_STARTED_EVENT = "roster:job-started";

const FAST_MS = 1_000;
const IDLE_MS = 5_000;

/**
 * Background jobs, kept up to date by polling: on /users the open ones (and those this page saw
 * end, with their result), on /jobs the recent ones. Jobs started by other admins show up too.
 */
export function JobsPanel({
  initial,
  scope,
  role,
  viewerId,
}: {
  initial: JobView[];
  scope: "open" | "recent";
  role: UserRole;
  /** Above the users table, the viewer's own jobs report their end in a toast, with Undo. */
  viewerId?: string;
}) {
  const rules = useLifecycleRules();
  const router = useRouter();
  const [jobs, setJobs] = useState<JobView[]>(initial);
  const [cancelling, setCancelling] = useState<string | null>(null);
  const [undoing, setUndoing] = useState<JobView | null>(null);
  // The toast that says the viewer's job ended: its result, and Undo where there is one.
  const announceEnd = useRef((_job: JobView) => {});
  announceEnd.current = (job: JobView) => {
    const verb = jobVerb(rules, job);
    const message = `${verb}: ${formatCount(job.done)} done, ${formatCount(job.skipped)} skipped.`;
    const show = job.status === "done" ? toast.success : toast.warning;
    show(message, {
      action: mayUndo(job) ? { label: "Undo", onClick: () => setUndoing(job) } : undefined,
      duration: 15_000,
    });
  };
  const watched = useRef(new Set(initial.map((j) => j.id)));
  const wasOpen = useRef(new Set(initial.filter(isOpen).map((j) => j.id)));

  const poll = useCallback(async () => {
    const answer = await jobsProgress({ scope, ids: [...watched.current].slice(-20) }).catch(
      () => null,
    );
    if (!answer?.ok) return;
    let ended = false;
    for (const job of answer.jobs) {
      watched.current.add(job.id);
      if (isOpen(job)) wasOpen.current.add(job.id);
      else if (wasOpen.current.delete(job.id)) {
        ended = true;
        if (viewerId && job.startedById === viewerId) announceEnd.current(job);
      }
    }
    setJobs(sortJobs(answer.jobs));
    // A job this page saw running has ended: the table and the counts changed.
    if (ended) router.refresh();
  }, [scope, router, viewerId]);

  const anyOpen = useRef(false);
  anyOpen.current = jobs.some(isOpen);
  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout>;
    const next = () => {
      timer = setTimeout(
        () => {
          void poll().finally(() => {
            if (alive) next();
          });
        },
        anyOpen.current ? FAST_MS : IDLE_MS,
      );
    };
    next();
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [poll]);

  useEffect(() => {
    const onStarted = (event: Event) => {
      const id = (event as CustomEvent<string>).detail;
      watched.current.add(id);
      wasOpen.current.add(id);
      void poll();
    };
    window.addEventListener(JOB_STARTED_EVENT, onStarted);
    return () => window.removeEventListener(JOB_STARTED_EVENT, onStarted);
  }, [poll]);

  async function cancel(job: JobView) {
    setCancelling(job.id);
    const result = await cancelJob({ id: job.id }).catch(() => ({
      ok: false as const,
      error: "Couldn't reach the server. Try again.",
    }));
    setCancelling(null);
    if (!result.ok) toast.error(result.error);
    else toast.success("Cancelling: the job stops after its current batch.");
    void poll();
  }

  /** A job of a verb with an inverse this viewer may run. */
  function mayUndo(job: JobView): boolean {
    const inverse = job.action ? rules[job.action].inverse : null;
    return inverse !== null && can(role, rules[inverse].permission);
  }

  async function dismiss(job: JobView) {
    watched.current.delete(job.id);
    setJobs((all) => all.filter((j) => j.id !== job.id));
    const result = await dismissJob({ id: job.id }).catch(() => null);
    if (result && !result.ok) toast.error(result.error);
  }

  if (jobs.length === 0) {
    return scope === "recent" ? (
      <p className="text-sm text-zinc-600 dark:text-zinc-400">No jobs yet.</p>
    ) : null;
  }
  return (
    <div className={scope === "open" ? "mb-4 space-y-2" : "space-y-2"}>
      {jobs.map((job) => (
        <JobProgress
          key={job.id}
          job={job}
          canCancel={
            job.action !== null
              ? can(role, rules[job.action].permission)
              : job.kind === IMPORT_JOB && can(role, "users.invite")
          }
          cancelling={cancelling === job.id}
          onCancel={() => void cancel(job)}
          onDismiss={scope === "open" ? () => void dismiss(job) : undefined}
          onUndo={mayUndo(job) ? () => setUndoing(job) : undefined}
        />
      ))}
      {undoing ? (
        <Suspense fallback={null}>
          <UndoJobDialog
            job={undoing}
            onClose={() => setUndoing(null)}
            onStarted={(id) => {
              setUndoing(null);
              toast.success("Undoing in the background: a progress bar shows here and on Jobs.");
              window.dispatchEvent(new CustomEvent(JOB_STARTED_EVENT, { detail: id }));
            }}
          />
        </Suspense>
      ) : null}
    </div>
  );
}

function isOpen(job: JobView): boolean {
  return job.status === "queued" || job.status === "running";
}

function sortJobs(jobs: JobView[]): JobView[] {
  return [...jobs].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
