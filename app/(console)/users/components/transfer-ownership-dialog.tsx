"use client";

import { useRef } from "react";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogTitle,
} from "@/components/ui/dialog";
import { formatCount, plural } from "@/lib/format";
import type { EligibleOwner, OwnedRecords, PreviewResult, Selection } from "@/lib/users/verb-types";
import { RECORD_KINDS } from "@/model/roles";
import { definition, type Verb } from "@/model/verbs";
import { OwnerPicker } from "./owner-picker";

/** "3 projects, 2 automations" (kinds with none are left out). */
export function recordsSummary(records: Omit<OwnedRecords, "userId" | "name">): string {
  return RECORD_KINDS.filter((kind) => records[kind] > 0)
    .map((kind) => plural(records[kind], kind))
    .join(", ");
}

export function totalRecords(ownership: readonly OwnedRecords[]) {
  const total = Object.fromEntries(RECORD_KINDS.map((k) => [k, 0])) as Record<
    (typeof RECORD_KINDS)[number],
    number
  >;
  for (const row of ownership) for (const kind of RECORD_KINDS) total[kind] += row[kind];
  return total;
}

export function TransferOwnershipDialog({
  open,
  action,
  ownership,
  totals,
  selection,
  owner,
  onOwnerChange,
  onContinue,
  onCancel,
  onCloseAutoFocus,
}: {
  open: boolean;
  action: Verb;
  ownership: OwnedRecords[];
  /** All the records that move (the list shows only the first owners). */
  totals: Extract<PreviewResult, { ok: true }>["ownershipTotals"];
  selection: Selection;
  owner: EligibleOwner | null;
  onOwnerChange: (owner: EligibleOwner) => void;
  onContinue: () => void;
  onCancel: () => void;
  onCloseAutoFocus: (event: Event) => void;
}) {
  const inputRef = useRef<HTMLInputElement>(null);
  const what = definition(action).wording.done.toLowerCase();
  const owners = totals?.owners ?? ownership.length;
  const who = owners === 1 ? ownership[0]?.name : `${formatCount(owners)} of these users`;
  const more = owners - ownership.length;
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) onCancel();
      }}
    >
      <DialogContent
        onOpenAutoFocus={(e) => {
          e.preventDefault();
          inputRef.current?.focus();
        }}
        onCloseAutoFocus={onCloseAutoFocus}
      >
        <DialogTitle>Transfer ownership</DialogTitle>
        <DialogDescription>
          {who} {owners === 1 ? "owns" : "own"} records
          {totals && owners > 1 ? ` (${recordsSummary(totals)} in all)` : ""}. Choose who takes them
          over before they are {what}: the records move and the status changes together, or not at
          all.
        </DialogDescription>
        <ul
          aria-label="Records to transfer"
          className="mt-4 max-h-32 divide-y divide-zinc-100 overflow-y-auto rounded-md border border-zinc-200 text-sm dark:divide-zinc-800 dark:border-zinc-800"
        >
          {ownership.map((row) => (
            <li key={row.userId} className="flex items-center justify-between gap-3 px-3 py-2">
              <span>
                <span className="font-medium">{row.name}</span>: {recordsSummary(row)}
              </span>
            </li>
          ))}
          {more > 0 ? (
            <li className="px-3 py-2 text-zinc-600 dark:text-zinc-400">
              and {formatCount(more)} more.
            </li>
          ) : null}
        </ul>
        <div className="mt-4">
          <OwnerPicker
            action={action}
            selection={selection}
            value={owner}
            onChange={onOwnerChange}
            inputRef={inputRef}
          />
        </div>
        <p aria-live="polite" className="mt-2 min-h-5 text-sm text-zinc-600 dark:text-zinc-400">
          {owner ? (
            <>
              Records go to{" "}
              <span className="font-medium text-zinc-900 dark:text-zinc-100">{owner.name}</span>.
            </>
          ) : null}
        </p>
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="secondary">Cancel</Button>
          </DialogClose>
          <Button variant="primary" disabled={!owner} onClick={onContinue}>
            Continue
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
