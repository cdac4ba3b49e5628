"use client";

import { useEffect, useState } from "react";
import { useLifecycleRules } from "@/components/lifecycle-rules";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogTitle,
  DialogFooter,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { formatCount } from "@/lib/format";
import type { JobView } from "@/lib/jobs/queries";
import type { JobUndoPreview } from "@/lib/lifecycle/undo";
import { previewUndoJob, undoJob } from "./actions";

const users = (n: number) => `${formatCount(n)} ${n === 1 ? "user" : "users"}`;

/**
 * Undoing a finished job, with the usual preview: the inverse, on how many of the users it
 * changed, and how many changed since (they are left as they are). It runs as a job of its own.
 */
export function UndoJobDialog({
  job,
  onClose,
  onStarted,
}: {
  job: JobView;
  onClose: () => void;
  onStarted: (jobId: string) => void;
}) {
  const rules = useLifecycleRules();
  const [preview, setPreview] = useState<JobUndoPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  useEffect(() => {
    let alive = true;
    previewUndoJob({ id: job.id })
      .catch(() => ({ ok: false as const, error: "Couldn't reach the server. Try again." }))
      .then((answer) => {
        if (alive) setPreview(answer);
      });
    return () => {
      alive = false;
    };
  }, [job.id]);

  const ready = preview?.ok ? preview : null;
  const verb = ready ? rules[ready.action].verb : "Undo";

  async function confirm() {
    setPending(true);
    const result = await undoJob({ id: job.id }).catch(() => ({
      ok: false as const,
      error: "Couldn't reach the server. Try again.",
    }));
    setPending(false);
    if (result.ok) onStarted(result.jobId);
    else setError(result.error);
  }

  return (
    <AlertDialog
      open
      onOpenChange={(open) => {
        if (!open && !pending) onClose();
      }}
    >
      <AlertDialogContent>
        <AlertDialogTitle>
          {ready ? `Undo: ${verb} ${users(ready.changes)}?` : "Undo this job?"}
        </AlertDialogTitle>
        <AlertDialogDescription>
          {ready
            ? "Everyone this job changed goes back, in the background; nobody else is touched."
            : preview && !preview.ok
              ? preview.error
              : "Checking who this affects…"}
        </AlertDialogDescription>
        {ready && ready.changedSince > 0 ? (
          <p className="mt-3 text-sm text-zinc-700 dark:text-zinc-300">
            {users(ready.changedSince)} changed since the job: left as they are.
          </p>
        ) : null}
        {error ? (
          <p
            role="alert"
            className="mt-3 rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/50 dark:text-red-200"
          >
            {error}
          </p>
        ) : null}
        <DialogFooter>
          <AlertDialogCancel asChild>
            <Button variant="secondary" disabled={pending}>
              Cancel
            </Button>
          </AlertDialogCancel>
          <Button onClick={() => void confirm()} disabled={!ready || pending}>
            {ready ? `${verb} ${users(ready.changes)}` : "Undo"}
          </Button>
        </DialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
