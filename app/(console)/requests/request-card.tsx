"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-fields";
import { toast } from "@/components/ui/toaster";
import { formatCount, formatDateTime, plural } from "@/lib/format";
import type { DeletionRequestView } from "@/lib/users/deletion-requests";
import { resultMessage } from "../users/components/action-copy";
import { approveDeletionRequestAction, declineDeletionRequestAction } from "./actions";

const UNREACHABLE = "Couldn't reach the server. Try again.";

/** One pending deletion request: who asked, whom, where their records go, and the decision. */
export function RequestCard({ request, own }: { request: DeletionRequestView; own: boolean }) {
  const router = useRouter();
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const more = request.targetCount - request.targets.length;
  const whom = `${request.targets.join(", ")}${more > 0 ? ` and ${formatCount(more)} more` : ""}`;
  const approve = () =>
    startTransition(async () => {
      setError(null);
      const result = await approveDeletionRequestAction({ id: request.id }).catch(() => ({
        ok: false as const,
        error: UNREACHABLE,
      }));
      if (!result.ok) {
        setError(result.error);
        return;
      }
      toast.success(
        `Request approved. ${resultMessage("delete", result.done, result.skipped, result.skippedCount)}`,
      );
      router.refresh();
    });
  const decline = () =>
    startTransition(async () => {
      setError(null);
      const result = await declineDeletionRequestAction({ id: request.id }).catch(() => ({
        ok: false as const,
        error: UNREACHABLE,
      }));
      if (!result.ok) {
        setError(result.error);
        return;
      }
      toast.success(`Request declined: nobody was deleted.`);
      router.refresh();
    });
  return (
    <article
      aria-labelledby={`${id}-title`}
      className="space-y-2 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800"
    >
      <h2 id={`${id}-title`} className="text-base font-semibold">
        Delete {plural(request.targetCount, "user")} permanently
      </h2>
      <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
        <dt className="text-zinc-600 dark:text-zinc-400">Users</dt>
        <dd className="break-words">{whom || "None left"}</dd>
        <dt className="text-zinc-600 dark:text-zinc-400">Requested by</dt>
        <dd>
          {request.requestedBy?.name ?? "A deleted user"},{" "}
          {formatDateTime(new Date(request.createdAt))}
        </dd>
        <dt className="text-zinc-600 dark:text-zinc-400">Their records go to</dt>
        <dd>{request.newOwner ?? "Nobody: they own none"}</dd>
        {request.reason ? (
          <>
            <dt className="text-zinc-600 dark:text-zinc-400">Reason</dt>
            <dd className="break-words">{request.reason}</dd>
          </>
        ) : null}
        <dt className="text-zinc-600 dark:text-zinc-400">Expires</dt>
        <dd>{formatDateTime(new Date(request.expiresAt))}</dd>
      </dl>
      <FormAlert>{error}</FormAlert>
      {own ? (
        <p className="text-sm text-zinc-700 dark:text-zinc-300">
          You requested this: another admin or the owner must approve or decline it.
        </p>
      ) : (
        <div className="flex flex-wrap gap-2">
          <Button type="button" variant="secondary" disabled={pending} onClick={decline}>
            Decline request
          </Button>
          <Button type="button" variant="destructive" disabled={pending} onClick={approve}>
            Approve request
          </Button>
        </div>
      )}
    </article>
  );
}
