"use client";

import { type RefObject, useCallback, useEffect, useRef, useState } from "react";
import { toast } from "@/components/ui/toaster";
import type { UserRole, UserStatus } from "@/db/schema";
import {
  type ActionResult,
  type EligibleOwner,
  MAX_EXPLICIT_TARGETS,
  type PreviewResult,
  type Selection,
} from "@/lib/users/action-types";
import { LIFECYCLE, type LifecycleAction } from "@/lib/users/lifecycle";
import { can } from "@/lib/users/permissions";
import { JOB_STARTED_EVENT } from "../../jobs/jobs-panel";
import { previewAction, RUN_ACTION } from "./action-client";
import { ACTION_COPY, confirmTitle, resultMessage, usersCount } from "./action-copy";
import { ConfirmActionDialog, type ConfirmOptions, DELETE_WORD } from "./confirm-action-dialog";
import { TransferOwnershipDialog } from "./transfer-ownership-dialog";

/** One action the viewer asked for, on one selection: what the dialogs confirm. */
export type FlowRequest = {
  key: number;
  action: LifecycleAction;
  selection: Selection;
  count: number;
  /** The user's name when the selection is one user, for the title. */
  onlyName: string | null;
  trigger: HTMLElement | null;
};

const FIRST_ONES = 5;
const NETWORK_ERROR = "Couldn't reach the server. Check your connection and try again.";

type PreviewOk = Extract<PreviewResult, { ok: true }>;
type Phase = "confirm" | "transfer" | "closed";

export function ActionFlow({
  request,
  role,
  fallbackFocus,
  onClosed,
  onDone,
  refresh,
}: {
  request: FlowRequest;
  role: UserRole;
  fallbackFocus: RefObject<HTMLElement | null>;
  onClosed: () => void;
  /** After a change: clear the selection. */
  onDone: () => void;
  /** Reload the table and the counts. */
  refresh: () => void;
}) {
  const { action } = request;
  const rule = LIFECYCLE[action];
  const [phase, setPhase] = useState<Phase>("confirm");
  const [selection, setSelection] = useState<Selection>(request.selection);
  const [preview, setPreview] = useState<PreviewOk | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [expanded, setExpanded] = useState(false);
  const [loadingMore, setLoadingMore] = useState(false);
  const [owner, setOwner] = useState<EligibleOwner | null>(null);
  const [options, setOptions] = useState<ConfirmOptions>({
    reason: "",
    sendInvitation: false,
    notify: false,
    typed: "",
  });
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const succeeded = useRef(false);
  const ticket = useRef(0);
  const ownerRef = useRef<EligibleOwner | null>(null);
  ownerRef.current = owner;

  const loadPreview = useCallback(
    async (args: { selection: Selection; sendInvitation: boolean; limit: number }) => {
      const mine = ++ticket.current;
      let result: PreviewResult;
      try {
        result = await previewAction({
          action,
          selection: args.selection,
          sendInvitation: action === "restore" ? args.sendInvitation : undefined,
          limit: args.limit,
        });
      } catch {
        result = { ok: false, error: NETWORK_ERROR };
      }
      if (mine !== ticket.current) return null;
      if (!result.ok) {
        setPreviewError(result.error);
        setPreview(null);
        return null;
      }
      setPreviewError(null);
      setPreview(result);
      // Someone owns records: the new owner is chosen before anything is confirmed.
      if (rule.needsTransfer && ownersIn(result) > 0 && !ownerRef.current) {
        setPhase((p) => (p === "confirm" ? "transfer" : p));
      }
      return result;
    },
    [action, rule.needsTransfer],
  );

  useEffect(() => {
    loadPreview({ selection: request.selection, sendInvitation: false, limit: FIRST_ONES });
  }, [loadPreview, request.selection]);

  const limit = expanded ? MAX_EXPLICIT_TARGETS : FIRST_ONES;
  const needsOwner = rule.needsTransfer && preview !== null && ownersIn(preview) > 0;
  const canConfirm =
    !pending &&
    preview !== null &&
    !preview.blocked &&
    preview.willChangeCount > 0 &&
    (!needsOwner || owner !== null) &&
    (action !== "delete" || options.typed === DELETE_WORD);

  function close() {
    setPhase("closed");
  }

  /** Focus goes back where it came from; after a change, to the table (the row may be gone). */
  function handleCloseAutoFocus(event: Event) {
    if (phase !== "closed") {
      event.preventDefault(); // the other dialog of the flow takes focus
      return;
    }
    event.preventDefault();
    const trigger = request.trigger;
    if (!succeeded.current && trigger?.isConnected) trigger.focus({ preventScroll: true });
    else fallbackFocus.current?.focus({ preventScroll: true });
    onClosed();
  }

  async function confirm() {
    setPending(true);
    setError(null);
    let result: ActionResult;
    try {
      result = await RUN_ACTION[action]({
        selection,
        reason: options.reason.trim() || undefined,
        newOwnerId: needsOwner ? owner?.id : undefined,
        sendInvitation: action === "restore" ? options.sendInvitation : undefined,
        notify: action === "deactivate" || action === "restore" ? options.notify : undefined,
        confirm: action === "delete" ? options.typed : undefined,
        onConflict: "abort",
      });
    } catch {
      result = { ok: false, error: NETWORK_ERROR };
    }
    setPending(false);
    if (!result.ok) {
      setError(result.error);
      if (result.conflict) {
        // Show the new state; confirming again applies to what the admin now sees.
        const fresh = await loadPreview({
          selection,
          sendInvitation: options.sendInvitation,
          limit: MAX_EXPLICIT_TARGETS,
        });
        if (fresh && selection.kind === "ids" && fresh.willChange.length > 0) {
          setSelection({
            kind: "ids",
            targets: fresh.willChange.map((t) => ({ id: t.id, expectedStatus: t.status })),
          });
        }
        setExpanded(true);
      }
      return;
    }
    succeeded.current = true;
    if (result.job) {
      // Large selections run in the background: the progress bar above the table takes over.
      window.dispatchEvent(new CustomEvent(JOB_STARTED_EVENT, { detail: result.job.id }));
      toast.success(
        `${ACTION_COPY[action].pending.replace(/…$/, "")} ${usersCount(result.job.total)} in the background.`,
      );
    } else announce(result, role, refresh);
    onDone();
    refresh();
    close();
  }

  return (
    <>
      <ConfirmActionDialog
        open={phase === "confirm"}
        action={action}
        title={confirmTitle(action, preview?.willChangeCount ?? request.count, request.onlyName)}
        preview={preview}
        previewError={previewError}
        expanded={expanded}
        loadingMore={loadingMore}
        owner={owner}
        ownership={preview?.ownership ?? []}
        options={options}
        error={error}
        pending={pending}
        canConfirm={canConfirm}
        onSeeAll={async () => {
          setLoadingMore(true);
          await loadPreview({
            selection,
            sendInvitation: options.sendInvitation,
            limit: MAX_EXPLICIT_TARGETS,
          });
          setLoadingMore(false);
          setExpanded(true);
        }}
        onOptionsChange={(patch) => {
          setOptions((o) => ({ ...o, ...patch }));
          if (patch.sendInvitation !== undefined) {
            loadPreview({ selection, sendInvitation: patch.sendInvitation, limit });
          }
        }}
        onChangeOwner={() => setPhase("transfer")}
        onConfirm={confirm}
        onCancel={close}
        onCloseAutoFocus={handleCloseAutoFocus}
      />
      {needsOwner && preview ? (
        <TransferOwnershipDialog
          open={phase === "transfer"}
          action={action}
          ownership={preview.ownership}
          totals={preview.ownershipTotals}
          selection={selection}
          owner={owner}
          onOwnerChange={setOwner}
          onContinue={() => setPhase("confirm")}
          onCancel={close}
          onCloseAutoFocus={handleCloseAutoFocus}
        />
      ) : null}
    </>
  );
}

/** How many of the users who change own records (the preview lists only the first ones). */
function ownersIn(preview: PreviewOk): number {
  return preview.ownershipTotals?.owners ?? preview.ownership.length;
}

type Target = { id: string; expectedStatus: UserStatus };

/** The result toast, with Undo where the action has an inverse this viewer may run. */
function announce(
  result: Extract<ActionResult, { ok: true }>,
  role: UserRole,
  refresh: () => void,
) {
  const message = resultMessage(result.action, result.done, result.skipped, result.skippedCount);
  const inverse = LIFECYCLE[result.action].inverse;
  const targets: Target[] = result.changed.flatMap((c) =>
    c.status ? [{ id: c.id, expectedStatus: c.status }] : [],
  );
  // A truncated answer lists only the first ones changed: an Undo by ids would miss the rest.
  const undoable =
    inverse !== null &&
    !result.truncated &&
    targets.length > 0 &&
    can(role, LIFECYCLE[inverse].permission);
  const show = result.done > 0 ? toast.success : toast.warning;
  show(message, {
    action: undoable
      ? { label: "Undo", onClick: () => void undo(inverse, targets, role, refresh) }
      : undefined,
  });
}

/** Undo runs the inverse action on exactly what changed, checked by the server like any other. */
async function undo(
  action: LifecycleAction,
  targets: Target[],
  role: UserRole,
  refresh: () => void,
) {
  let result: ActionResult;
  try {
    result = await RUN_ACTION[action]({
      selection: { kind: "ids", targets },
      reason: "Undo",
      onConflict: "skip",
    });
  } catch {
    result = { ok: false, error: NETWORK_ERROR };
  }
  if (result.ok) announce(result, role, refresh);
  else toast.error(result.error);
  refresh();
}
