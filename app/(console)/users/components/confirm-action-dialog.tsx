"use client";

import { LoaderCircle } from "lucide-react";
import { type Dispatch, useId } from "react";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogTitle,
  DialogFooter,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import type { UserRole } from "@/model/roles";
import { definition, type Verb } from "@/model/verbs";
import { isDestructive } from "@/model/verbs/define";
import type { OptionField } from "@/model/verbs/fields";
import { seatsLine, usersCount } from "./action-copy";
import { type FlowEvent, type FlowState, openDialog } from "./action-flow-state";
import { OptionInput } from "./option-input";
import { PreviewSummary } from "./preview-summary";
import { ReasonField } from "./reason-field";
import { recordsSummary, totalRecords } from "./transfer-ownership-dialog";
import { useWorkspaceReasons } from "./workspace-reasons";

/** The confirmation of one action's flow: what it does, to whom, its options and the reason. */
export function ConfirmActionDialog({
  flow,
  dispatch,
  action,
  title,
  who,
  viewerRole,
  fields,
  canConfirm,
  onSeeAll,
  onValueChange,
  onConfirm,
  onCloseAutoFocus,
}: {
  flow: FlowState;
  dispatch: Dispatch<FlowEvent>;
  action: Verb;
  title: string;
  /** Who option labels name: the user, or "them". */
  who: string;
  /** Whose dialog it is: a role field offers only the roles below theirs. */
  viewerRole: UserRole;
  fields: readonly OptionField[];
  canConfirm: boolean;
  onSeeAll: () => void;
  /** Records the option and asks for the preview again where the choice changes it. */
  onValueChange: (key: string, value: boolean | string) => void;
  onConfirm: () => void;
  onCloseAutoFocus: (event: Event) => void;
}) {
  const { preview, owner, values, error } = flow;
  const pending = flow.phase === "running";
  const onCancel = () => dispatch({ type: "cancel" });
  const id = useId();
  const { rule, wording } = definition(action);
  const destructive = isDestructive(rule);
  const reasons = useWorkspaceReasons();
  const ownership = preview?.ownership ?? [];
  const records = preview?.ownershipTotals ?? totalRecords(ownership);
  const owners = preview?.ownershipTotals?.owners ?? ownership.length;
  // The sentence about records is true only when someone in the selection owns some.
  const effect =
    rule.needsTransfer && preview && owners === 0
      ? wording.effect.replace(/\s*Records they own[^.]*\./, "")
      : wording.effect;
  const count = preview?.willChangeCount ?? 0;
  const optionInput = (f: OptionField) => (
    <OptionInput
      key={f.key}
      id={`${id}-${f.key}`}
      field={f}
      who={who}
      viewerRole={viewerRole}
      value={values[f.key]}
      disabled={pending}
      onChange={(v) => onValueChange(f.key, v)}
    />
  );
  return (
    <AlertDialog
      open={openDialog(flow.phase) === "confirm"}
      onOpenChange={(next) => {
        if (!next && !pending) onCancel();
      }}
    >
      <AlertDialogContent
        onCloseAutoFocus={onCloseAutoFocus}
        onEscapeKeyDown={(e) => {
          if (pending) e.preventDefault();
        }}
      >
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (canConfirm) onConfirm();
          }}
        >
          <AlertDialogTitle>{title}</AlertDialogTitle>
          <AlertDialogDescription>{effect}</AlertDialogDescription>

          {flow.previewError ? (
            <p role="alert" className="mt-4 text-sm text-red-700 dark:text-red-400">
              {flow.previewError}
            </p>
          ) : (
            <PreviewSummary
              action={action}
              preview={preview}
              expanded={flow.expanded}
              loadingMore={flow.loadingMore}
              onSeeAll={onSeeAll}
            />
          )}

          {preview?.needsApproval ? (
            <p className="mt-3 text-sm font-medium">
              This workspace requires a second admin: confirming makes a deletion request, and
              nobody is deleted until another admin or the owner approves it under Requests.
            </p>
          ) : null}

          {preview?.runsAsJob ? (
            <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">
              This many users are changed in the background, in batches: a progress bar shows above
              the table and on the Jobs page, and the job can be cancelled.
            </p>
          ) : null}

          {owner && owners > 0 ? (
            <div className="mt-3 flex items-start justify-between gap-3 rounded-md border border-indigo-200 bg-indigo-50 px-3 py-2 text-sm text-indigo-950 dark:border-indigo-900 dark:bg-indigo-950/50 dark:text-indigo-100">
              <p>
                Their records ({recordsSummary(records)}) move to{" "}
                <span className="font-medium">{owner.name}</span>.
              </p>
              <Button
                variant="ghost"
                size="sm"
                onClick={() => dispatch({ type: "chooseOwner" })}
                disabled={pending}
              >
                Change
              </Button>
            </div>
          ) : null}

          {preview?.blocked ? (
            <p className="mt-3 rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm font-medium text-red-800 dark:border-red-900 dark:bg-red-950/50 dark:text-red-200">
              {preview.blocked}
            </p>
          ) : preview?.seats && seatsLine(preview.seats) ? (
            <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">
              {seatsLine(preview.seats)}
            </p>
          ) : null}

          <div className="mt-4 space-y-3">
            {fields.filter((f) => f.kind !== "typed").map(optionInput)}
            <ReasonField
              id={id}
              value={flow.reason}
              disabled={pending}
              required={reasons.required && destructive}
              choices={reasons.choices}
              onChange={(value) => dispatch({ type: "reason", value })}
            />
            {wording.warning || fields.some((f) => f.kind === "typed") ? (
              <div className="rounded-md border border-red-300 bg-red-50 p-3 dark:border-red-900 dark:bg-red-950/40">
                {wording.warning ? (
                  <p className="text-sm font-medium text-red-800 dark:text-red-200">
                    {wording.warning}
                  </p>
                ) : null}
                {fields.filter((f) => f.kind === "typed").map(optionInput)}
              </div>
            ) : null}
          </div>

          {error ? (
            <p
              role="alert"
              className="mt-4 rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/50 dark:text-red-200"
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
            <Button
              type="submit"
              variant={destructive ? "destructive" : "primary"}
              disabled={!canConfirm}
              aria-disabled={!canConfirm}
            >
              {pending ? (
                <>
                  <Spinner />
                  {wording.pending}
                </>
              ) : count > 1 ? (
                `${wording.verb} ${usersCount(count)}`
              ) : (
                wording.verb
              )}
            </Button>
          </DialogFooter>
        </form>
      </AlertDialogContent>
    </AlertDialog>
  );
}

function Spinner() {
  return <LoaderCircle aria-hidden="true" className="size-4 animate-spin" />;
}
