"use client";

import { type RefObject, useCallback, useEffect, useReducer, useRef } from "react";
import { toast } from "@/components/ui/toaster";
import type { UserRole } from "@/db/schema";
import type { PreviewResponse, Selection, VerbResult } from "@/lib/users/verb-types";
import { MAX_EXPLICIT_TARGETS } from "@/model/limits";
import { definition, type Verb } from "@/model/verbs";
import { isDestructive } from "@/model/verbs/define";
import {
  fieldsComplete,
  initialOptionValues,
  type OptionValues,
  optionFields,
  optionsToSend,
  reshapesPreview,
} from "@/model/verbs/fields";
import { JOB_STARTED_EVENT } from "../../jobs/jobs-panel";
import { lifecycleAction, previewAction, previewPageAction } from "./action-client";
import { confirmTitle, requestedMessage, usersCount } from "./action-copy";
import { flowReducer, initialFlow, openDialog, type PreviewOk } from "./action-flow-state";
import { announce, NETWORK_ERROR } from "./action-result";
import { ConfirmActionDialog } from "./confirm-action-dialog";
import { reasonFits } from "./reason-field";
import { TransferOwnershipDialog } from "./transfer-ownership-dialog";
import { useWorkspaceReasons } from "./workspace-reasons";

/** One action the viewer asked for, on one selection: what the dialogs confirm. */
export type FlowRequest = {
  key: number;
  action: Verb;
  selection: Selection;
  count: number;
  /** The user's name when the selection is one user, for the title. */
  onlyName: string | null;
  trigger: HTMLElement | null;
};

const FIRST_ONES = 5;
/** Users per "See all" page. */
const PAGE_SIZE = 100;

export function ActionFlow({
  request,
  role,
  fallbackFocus,
  onClosed,
  onDone,
}: {
  request: FlowRequest;
  role: UserRole;
  fallbackFocus: RefObject<HTMLElement | null>;
  onClosed: () => void;
  /** After a change: clear the selection. (The server action revalidates the pages itself.) */
  onDone: () => void;
}) {
  const { action } = request;
  const def = definition(action);
  const fields = optionFields(def);
  const [state, dispatch] = useReducer(
    flowReducer,
    initialFlow(request.selection, initialOptionValues(fields)),
  );
  const ticket = useRef(0);
  // The latest state, for callbacks that outlive the render they were made in.
  const current = useRef(state);
  current.current = state;

  const loadPreview = useCallback(
    async (args: { selection: Selection; values: OptionValues; limit: number }) => {
      const mine = ++ticket.current;
      let result: PreviewResponse;
      try {
        result = await previewAction({
          action,
          selection: args.selection,
          options: optionsToSend(optionFields(definition(action)), args.values, {
            forPreview: true,
          }),
          limit: args.limit,
        } as Parameters<typeof previewAction>[0]);
      } catch {
        result = { ok: false, error: NETWORK_ERROR };
      }
      if (mine !== ticket.current) return null;
      if (!result.ok) {
        dispatch({ type: "previewFailed", error: result.error });
        return null;
      }
      // Someone owns records: the new owner is chosen before anything is confirmed.
      const needsOwner = definition(action).rule.needsTransfer && ownersIn(result) > 0;
      dispatch({ type: "previewed", preview: result, needsOwner });
      return result;
    },
    [action],
  );

  useEffect(() => {
    loadPreview({
      selection: request.selection,
      values: current.current.values,
      limit: FIRST_ONES,
    });
  }, [loadPreview, request.selection]);

  const { phase, preview, owner, selection, values } = state;
  const pending = phase === "running";
  const limit = state.expanded ? MAX_EXPLICIT_TARGETS : FIRST_ONES;
  // "Require a reason for destructive actions" (/settings): the server refuses without one too.
  const reasonNeeded = useWorkspaceReasons().required && isDestructive(def.rule);
  const needsOwner = def.rule.needsTransfer && preview !== null && ownersIn(preview) > 0;
  const canConfirm =
    !pending &&
    preview !== null &&
    !preview.blocked &&
    preview.willChangeCount > 0 &&
    (!needsOwner || owner !== null) &&
    fieldsComplete(fields, values) &&
    reasonFits(state.reason) &&
    !(reasonNeeded && state.reason.trim() === "");

  /** Focus goes back where it came from; after a change, to the table (the row may be gone). */
  function handleCloseAutoFocus(event: Event) {
    event.preventDefault();
    const { phase: now } = current.current;
    if (openDialog(now) !== null) return; // the flow's other dialog takes focus
    const trigger = request.trigger;
    if (now !== "done" && trigger?.isConnected) trigger.focus({ preventScroll: true });
    else fallbackFocus.current?.focus({ preventScroll: true });
    onClosed();
  }

  async function confirm() {
    dispatch({ type: "submit" });
    let result: VerbResult;
    try {
      result = await lifecycleAction({
        action,
        selection,
        options: optionsToSend(fields, values),
        reason: state.reason.trim() || undefined,
        onConflict: "abort",
        token: preview?.token,
        ...(needsOwner && owner ? { newOwnerId: owner.id } : {}),
      } as Parameters<typeof lifecycleAction>[0]);
    } catch {
      result = { ok: false, error: NETWORK_ERROR };
    }
    if (result.ok) {
      dispatch({ type: "succeeded" });
      if (result.job) {
        // Large selections run in the background: the progress bar above the table takes over.
        window.dispatchEvent(new CustomEvent(JOB_STARTED_EVENT, { detail: result.job.id }));
        toast.success(
          `${def.wording.pending.replace(/…$/, "")} ${usersCount(result.job.total)} in the background.`,
        );
      } else if (result.requested) {
        // Four-eyes delete: nobody was deleted yet.
        toast.success(requestedMessage(result.requested.count));
      } else announce(result, role);
      onDone();
      return;
    }
    if (!result.conflict) {
      dispatch({ type: "failed", error: result.error });
      return;
    }
    // Show the new state; confirming again applies to what the admin now sees.
    dispatch({ type: "conflict", error: result.error });
    const fresh = await loadPreview({ selection, values, limit: MAX_EXPLICIT_TARGETS });
    if (fresh && selection.kind === "ids" && fresh.willChange.length > 0) {
      dispatch({
        type: "narrowed",
        selection: {
          kind: "ids",
          targets: fresh.willChange.map((t) => ({ id: t.id, expectedStatus: t.status })),
        },
      });
    }
  }

  const open = openDialog(phase);

  return (
    <>
      <ConfirmActionDialog
        flow={state}
        dispatch={dispatch}
        action={action}
        title={confirmTitle(action, preview?.willChangeCount ?? request.count, request.onlyName)}
        who={request.onlyName ?? "them"}
        viewerRole={role}
        fields={fields}
        canConfirm={canConfirm}
        onSeeAll={async () => {
          const shown = preview?.willChange ?? [];
          const last = shown[shown.length - 1];
          dispatch({ type: "seeAll" });
          try {
            const page = await previewPageAction({
              action,
              selection,
              options: optionsToSend(fields, values, { forPreview: true }),
              after: last ? { name: last.name, id: last.id } : null,
              limit: PAGE_SIZE,
            } as Parameters<typeof previewPageAction>[0]);
            if (page.ok) dispatch({ type: "page", rows: page.rows });
            else dispatch({ type: "pageFailed", error: page.error });
          } catch {
            dispatch({ type: "pageFailed", error: NETWORK_ERROR });
          }
        }}
        onValueChange={(key, value) => {
          dispatch({ type: "option", key, value });
          // A choice may change who changes and how (restore "with a new invitation", a new
          // role that some already have): ask again.
          const field = fields.find((f) => f.key === key);
          if (field && reshapesPreview(field)) {
            loadPreview({ selection, values: { ...values, [key]: value }, limit });
          }
        }}
        onConfirm={confirm}
        onCloseAutoFocus={handleCloseAutoFocus}
      />
      {needsOwner && preview ? (
        <TransferOwnershipDialog
          open={open === "transfer"}
          action={action}
          ownership={preview.ownership}
          totals={preview.ownershipTotals}
          selection={selection}
          owner={owner}
          onOwnerChange={(picked) => dispatch({ type: "ownerPicked", owner: picked })}
          onContinue={() => dispatch({ type: "ownerConfirmed" })}
          onCancel={() => dispatch({ type: "cancel" })}
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
