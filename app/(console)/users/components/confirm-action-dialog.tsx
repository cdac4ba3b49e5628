"use client";

import { LoaderCircle } from "lucide-react";
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
import type { EligibleOwner, OwnedRecords } from "@/lib/users/action-types";
import { definition, type LifecycleAction } from "@/lib/users/actions";
import type { OptionField, OptionValues } from "@/lib/users/actions/fields";
import { usersCount } from "./action-copy";
import type { PreviewOk } from "./action-flow-state";
import { PreviewSummary } from "./preview-summary";
import { recordsSummary, totalRecords } from "./transfer-ownership-dialog";

export function ConfirmActionDialog({
  open,
  action,
  title,
  who,
  preview,
  previewError,
  expanded,
  loadingMore,
  owner,
  ownership,
  fields,
  values,
  reason,
  error,
  pending,
  canConfirm,
  onSeeAll,
  onValueChange,
  onReasonChange,
  onChangeOwner,
  onConfirm,
  onCancel,
  onCloseAutoFocus,
}: {
  open: boolean;
  action: LifecycleAction;
  title: string;
  /** Who option labels name: the user, or "them". */
  who: string;
  preview: PreviewOk | null;
  previewError: string | null;
  expanded: boolean;
  loadingMore: boolean;
  owner: EligibleOwner | null;
  ownership: OwnedRecords[];
  fields: readonly OptionField[];
  values: OptionValues;
  reason: string;
  error: string | null;
  pending: boolean;
  canConfirm: boolean;
  onSeeAll: () => void;
  onValueChange: (key: string, value: boolean | string) => void;
  onReasonChange: (value: string) => void;
  onChangeOwner: () => void;
  onConfirm: () => void;
  onCancel: () => void;
  onCloseAutoFocus: (event: Event) => void;
}) {
  const id = useId();
  const { rule, wording } = definition(action);
  const destructive = rule.tone !== "gentle";
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
      value={values[f.key]}
      disabled={pending}
      onChange={(v) => onValueChange(f.key, v)}
    />
  );
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
            {fields.filter((f) => f.kind !== "typed").map(optionInput)}
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
                value={reason}
                onChange={(e) => onReasonChange(e.target.value)}
                className="mt-1 block w-full resize-none rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-sm outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 dark:border-zinc-700 dark:bg-zinc-900"
              />
            </div>
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

/** One option of the action, as its schema asks: a checkbox, a typed confirmation, a date. */
function OptionInput({
  id,
  field,
  who,
  value,
  disabled,
  onChange,
}: {
  id: string;
  field: OptionField;
  who: string;
  value: boolean | string | undefined;
  disabled: boolean;
  onChange: (value: boolean | string) => void;
}) {
  if (field.kind === "checkbox") {
    return (
      <div className="flex items-center gap-2 text-sm">
        <Checkbox
          id={id}
          checked={value === true}
          disabled={disabled}
          onChange={(e) => onChange(e.target.checked)}
        />
        <label htmlFor={id}>{field.label(who)}</label>
      </div>
    );
  }
  const typed = field.kind === "typed";
  return (
    <div className={typed ? "mt-2" : undefined}>
      <label
        htmlFor={id}
        className={
          typed ? "block text-sm text-red-900 dark:text-red-100" : "block text-sm font-medium"
        }
      >
        {typed ? field.label : field.label(who)}
      </label>
      <input
        id={id}
        type={typed ? "text" : "date"}
        autoComplete="off"
        spellCheck={false}
        disabled={disabled}
        value={typeof value === "string" ? value : ""}
        onChange={(e) => onChange(e.target.value)}
        className={
          typed
            ? "mt-1 block h-9 w-full rounded-md border border-red-300 bg-white px-3 font-mono text-sm shadow-sm outline-none focus:border-red-500 focus:ring-2 focus:ring-red-500/30 dark:border-red-800 dark:bg-zinc-900"
            : "mt-1 block h-9 w-full rounded-md border border-zinc-300 bg-white px-3 text-sm shadow-sm outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 dark:border-zinc-700 dark:bg-zinc-900"
        }
      />
    </div>
  );
}

function Spinner() {
  return <LoaderCircle aria-hidden="true" className="size-4 animate-spin" />;
}
