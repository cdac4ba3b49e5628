"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { useLifecycleRules } from "@/components/lifecycle-rules";
import { toast } from "@/components/ui/toaster";
import type { UserRole } from "@/db/schema";
import type { JobView } from "@/lib/jobs/queries";
import { can } from "@/lib/users/permissions";
import { cancelJob, jobsProgress } from "./actions";
import { JobProgress } from "./job-progress";

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
}: {
  initial: JobView[];
  scope: "open" | "recent";
  role: UserRole;
}) {
  const rules = useLifecycleRules();
  const router = useRouter();
  const [jobs, setJobs] = useState<JobView[]>(initial);
  const [cancelling, setCancelling] = useState<string | null>(null);
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
      else if (wasOpen.current.delete(job.id)) ended = true;
    }
    setJobs(sortJobs(answer.jobs));
    // A job this page saw running has ended: the table and the counts changed.
    if (ended) router.refresh();
  }, [scope, router]);

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
          canCancel={job.action !== null && can(role, rules[job.action].permission)}
          cancelling={cancelling === job.id}
          onCancel={() => void cancel(job)}
        />
      ))}
    </div>
  );
}

function isOpen(job: JobView): boolean {
  return job.status === "queued" || job.status === "running";
}

function sortJobs(jobs: JobView[]): JobView[] {
  return [...jobs].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
