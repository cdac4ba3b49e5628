"use client";

import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogTitle,
} from "@/components/ui/dialog";
import { toast } from "@/components/ui/toaster";
import type { UserRole, UserStatus } from "@/db/schema";
import { formatCount, plural } from "@/lib/format";
import { LIFECYCLE } from "@/lib/users/lifecycle";
import type { VerbResult } from "@/lib/users/verb-types";
import { can } from "@/model/permissions";
import { definition } from "@/model/verbs";
import { lifecycleAction } from "./action-client";
import { resultMessage, usersCount } from "./action-copy";
import { type DoneResult, showResult } from "./result-store";

type Done = DoneResult;

export const NETWORK_ERROR = "Couldn't reach the server. Check your connection and try again.";

/** "3 records went back to their owners; 1 stays with Ada Admin: it was moved since." */
function recordsLine(result: Done): string | null {
  const r = result.recordsReturned;
  if (!r || r.returned + r.stayed === 0) return null;
  const back = `${plural(r.returned, "record")} went back to their owners.`;
  if (r.stayed === 0) return back;
  return `${back} ${formatCount(r.stayed)} couldn't: moved to someone else since.`;
}

/** The result toast: what was done, Undo where the action has an inverse this viewer may run, and the full result. */
export function announce(result: Done, role: UserRole) {
  const head = resultMessage(result.action, result.done, result.skipped, result.skippedCount);
  const records = recordsLine(result);
  const message = records ? `${head} ${records}` : head;
  const inverse = LIFECYCLE[result.action].inverse;
  const targets = result.changed.flatMap((c) =>
    c.status ? [{ id: c.id, expectedStatus: c.status }] : [],
  );
  // A truncated answer lists only the first ones changed: an Undo by ids would miss the rest.
  const undoable =
    inverse !== null &&
    !result.truncated &&
    targets.length > 0 &&
    can(role, LIFECYCLE[inverse].permission);
  const skipped = result.skippedCount ?? result.skipped.length;
  const show = result.done > 0 ? toast.success : toast.warning;
  show(message, {
    action: undoable
      ? {
          label: "Undo",
          onClick: () => void undo(inverse, targets, result.changeId, role),
        }
      : undefined,
    // Mixed results: the names of everyone skipped, and why, are one click away.
    cancel:
      skipped > 0 ? { label: "See full result", onClick: () => showResult(result) } : undefined,
    duration: skipped > 0 ? 15_000 : undefined,
  });
}

/** Undo runs the inverse action on exactly what changed, checked by the server like any other. */
async function undo(
  action: NonNullable<(typeof LIFECYCLE)[keyof typeof LIFECYCLE]["inverse"]>,
  targets: { id: string; expectedStatus: UserStatus }[],
  changeId: string | undefined,
  role: UserRole,
) {
  let result: VerbResult;
  try {
    result = await lifecycleAction({
      action,
      selection: { kind: "ids", targets },
      options: {},
      reason: "Undo",
      onConflict: "skip",
      ...(changeId ? { undoOf: changeId } : {}),
    } as Parameters<typeof lifecycleAction>[0]);
  } catch {
    result = { ok: false, error: NETWORK_ERROR };
  }
  if (result.ok) announce(result, role);
  else toast.error(result.error);
}

/** The full result of an action: done and skipped, with reasons (see action-result-host.tsx). */
export function ActionResultDialog({ result }: { result: Done }) {
  const { wording } = definition(result.action);
  const skippedCount = result.skippedCount ?? result.skipped.length;
  return (
    <Dialog
      open
      onOpenChange={(open) => {
        if (!open) showResult(null);
      }}
    >
      <DialogContent>
        <DialogTitle>Result</DialogTitle>
        <DialogDescription>
          {wording.done} {usersCount(result.done)}; {formatCount(skippedCount)} skipped.
          {result.truncated ? " The lists show the first ones." : ""}
        </DialogDescription>
        {result.changed.length > 0 ? (
          <section aria-label={wording.done} className="mt-4">
            <h3 className="text-sm font-medium">
              {wording.done} ({formatCount(result.done)})
            </h3>
            <ul
              className="mt-1 max-h-40 overflow-y-auto text-sm"
              // A list long enough to scroll must be reachable by keyboard.
              tabIndex={result.changed.length > 7 ? 0 : undefined}
            >
              {result.changed.map((c) => (
                <li key={c.id}>{c.name ?? "A user"}</li>
              ))}
            </ul>
          </section>
        ) : null}
        <section aria-label="Skipped" className="mt-4">
          <h3 className="text-sm font-medium">Skipped ({formatCount(skippedCount)})</h3>
          <ul
            className="mt-1 max-h-56 space-y-0.5 overflow-y-auto text-sm"
            tabIndex={result.skipped.length > 10 ? 0 : undefined}
          >
            {result.skipped.map((s) => (
              <li key={s.id}>
                <span className="font-medium">{s.name ?? "A user"}</span>: {s.reason}
              </li>
            ))}
          </ul>
        </section>
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="secondary">Close</Button>
          </DialogClose>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
