"use client";

import { useId } from "react";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogTitle,
  DialogFooter,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import type { EligibleOwner, OwnedRecords, PreviewResult } from "@/lib/users/action-types";
import { LIFECYCLE, type LifecycleAction } from "@/lib/users/lifecycle";
import { ACTION_COPY, usersCount } from "./action-copy";
import { PreviewSummary } from "./preview-summary";
import { recordsSummary, totalRecords } from "./transfer-ownership-dialog";

type PreviewOk = Extract<PreviewResult, { ok: true }>;

export type ConfirmOptions = {
  reason: string;
  sendInvitation: boolean;
  notify: boolean;
  typed: string;
};

export const DELETE_WORD = "DELETE";

export function ConfirmActionDialog({
  open,
  action,
  title,
  preview,
  previewError,
  expanded,
  loadingMore,
  owner,
  ownership,
  options,
  error,
  pending,
  canConfirm,
  onSeeAll,
  onOptionsChange,
  onChangeOwner,
  onConfirm,
  onCancel,
  onCloseAutoFocus,
}: {
  open: boolean;
  action: LifecycleAction;
  title: string;
  preview: PreviewOk | null;
  previewError: string | null;
  expanded: boolean;
  loadingMore: boolean;
  owner: EligibleOwner | null;
  ownership: OwnedRecords[];
  options: ConfirmOptions;
  error: string | null;
  pending: boolean;
  canConfirm: boolean;
  onSeeAll: () => void;
  onOptionsChange: (patch: Partial<ConfirmOptions>) => void;
  onChangeOwner: () => void;
  onConfirm: () => void;
  onCancel: () => void;
  onCloseAutoFocus: (event: Event) => void;
}) {
  const id = useId();
  const rule = LIFECYCLE[action];
  const destructive = rule.destructive;
  const records = preview?.ownershipTotals ?? totalRecords(ownership);
  const owners = preview?.ownershipTotals?.owners ?? ownership.length;
  // The sentence about records is true only when someone in the selection owns some.
  const effect =
    rule.needsTransfer && preview && owners === 0
      ? rule.effect.replace(/\s*Records they own[^.]*\./, "")
      : rule.effect;
  const count = preview?.willChangeCount ?? 0;
  return (
    <AlertDialog
      open={open}
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

          {previewError ? (
            <p role="alert" className="mt-4 text-sm text-red-700 dark:text-red-400">
              {previewError}
            </p>
          ) : (
            <PreviewSummary
              action={action}
              preview={preview}
              expanded={expanded}
              loadingMore={loadingMore}
              onSeeAll={onSeeAll}
            />
          )}

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
              <Button variant="ghost" size="sm" onClick={onChangeOwner} disabled={pending}>
                Change
              </Button>
            </div>
          ) : null}

          {preview?.blocked ? (
            <p className="mt-3 rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm font-medium text-red-800 dark:border-red-900 dark:bg-red-950/50 dark:text-red-200">
              {preview.blocked}
            </p>
          ) : preview?.seats ? (
            <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">
              Uses {preview.seats.needed} of {preview.seats.free} free seats.
            </p>
          ) : null}

          <div className="mt-4 space-y-3">
            {action === "restore" ? (
              <div className="flex items-center gap-2 text-sm">
                <Checkbox
                  id={`${id}-invite`}
                  checked={options.sendInvitation}
                  disabled={pending}
                  onChange={(e) => onOptionsChange({ sendInvitation: e.target.checked })}
                />
                <label htmlFor={`${id}-invite`}>Send a new invitation instead</label>
              </div>
            ) : null}
            {action === "deactivate" || action === "restore" ? (
              <div className="flex items-center gap-2 text-sm">
                <Checkbox
                  id={`${id}-notify`}
                  checked={options.notify}
                  disabled={pending}
                  onChange={(e) => onOptionsChange({ notify: e.target.checked })}
                />
                <label htmlFor={`${id}-notify`}>Notify the user by email</label>
              </div>
            ) : null}
            <div>
              <div className="flex items-baseline justify-between">
                <label htmlFor={`${id}-reason`} className="text-sm font-medium">
                  Reason
                </label>
                <span id={`${id}-reason-hint`} className="text-xs text-zinc-500 dark:text-zinc-400">
                  Optional · kept in the audit log
                </span>
              </div>
              <textarea
                id={`${id}-reason`}
                aria-describedby={`${id}-reason-hint`}
                rows={2}
                maxLength={500}
                disabled={pending}
                value={options.reason}
                onChange={(e) => onOptionsChange({ reason: e.target.value })}
                className="mt-1 block w-full resize-none rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-sm outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 dark:border-zinc-700 dark:bg-zinc-900"
              />
            </div>
            {action === "delete" ? (
              <div className="rounded-md border border-red-300 bg-red-50 p-3 dark:border-red-900 dark:bg-red-950/40">
                <p className="text-sm font-medium text-red-800 dark:text-red-200">
                  There is no undo: deleted users can't be restored, and the audit log shows them as
                  “Deleted user”.
                </p>
                <label
                  htmlFor={`${id}-typed`}
                  className="mt-2 block text-sm text-red-900 dark:text-red-100"
                >
                  Type {DELETE_WORD} to confirm
                </label>
                <input
                  id={`${id}-typed`}
                  autoComplete="off"
                  spellCheck={false}
                  disabled={pending}
                  value={options.typed}
                  onChange={(e) => onOptionsChange({ typed: e.target.value })}
                  className="mt-1 block h-9 w-full rounded-md border border-red-300 bg-white px-3 font-mono text-sm shadow-sm outline-none focus:border-red-500 focus:ring-2 focus:ring-red-500/30 dark:border-red-800 dark:bg-zinc-900"
                />
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
                  {ACTION_COPY[action].pending}
                </>
              ) : count > 1 ? (
                `${rule.verb} ${usersCount(count)}`
              ) : (
                rule.verb
              )}
            </Button>
          </DialogFooter>
        </form>
      </AlertDialogContent>
    </AlertDialog>
  );
}

function Spinner() {
  return (
    <svg viewBox="0 0 16 16" aria-hidden="true" className="size-4 animate-spin fill-none">
      <circle cx="8" cy="8" r="6" strokeWidth="2" className="stroke-current opacity-25" />
      <path d="M14 8a6 6 0 0 0-6-6" strokeWidth="2" className="stroke-current" />
    </svg>
  );
}
