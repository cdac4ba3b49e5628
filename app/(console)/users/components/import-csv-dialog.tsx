"use client";

import { FileUp } from "lucide-react";
import Link from "next/link";
import { useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { FormAlert } from "@/components/ui/form-fields";
import { toast } from "@/components/ui/toaster";
import { formatCount, plural } from "@/lib/format";
import type { ImportPreview, ImportRowView } from "@/lib/users/import-users";
import { IMPORT_MAX_BYTES, IMPORT_MESSAGES, IMPORT_WORDING } from "@/model/import-csv";
import { JOB_STARTED_EVENT } from "../../jobs/jobs-panel";
import { importCsvAction, importPreviewAction } from "../actions";

const FIELD =
  "mt-1 block w-full rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm shadow-sm outline-none file:mr-3 file:rounded file:border-0 file:bg-zinc-100 file:px-2 file:py-1 file:text-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 dark:border-zinc-700 dark:bg-zinc-900 dark:file:bg-zinc-800";

const NETWORK = "The file didn't upload. Check your connection and try again.";

/** Sends the file as it is (streamed by the browser) and gets its preview; nothing changes yet. */
async function uploadForPreview(file: File): Promise<ImportPreview | { ok: false; error: string }> {
  const response = await fetch(`/users/import?name=${encodeURIComponent(file.name)}`, {
    method: "POST",
    headers: { "Content-Type": "text/csv" },
    body: file,
  });
  const body = (await response.json().catch(() => null)) as
    | ImportPreview
    | { ok: false; error: string }
    | null;
  return body ?? { ok: false, error: NETWORK };
}

/**
 * "Import CSV": choose a file (checked for size before it is sent), see each row's errors (line,
 * column, what is wrong, what to do), who is skipped and who will be created, then "Import".
 */
export function ImportCsvDialog({ defaultOpen = false }: { defaultOpen?: boolean }) {
  const [open, setOpen] = useState(defaultOpen);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [reading, setReading] = useState(false);
  const [importing, setImporting] = useState(false);
  const asked = useRef(0);
  const id = useId();

  function reset() {
    setPreview(null);
    setError(null);
    setNotice(null);
    setReading(false);
  }

  async function onFile(file: File | undefined) {
    const seq = ++asked.current;
    reset();
    if (!file) return;
    if (file.size > IMPORT_MAX_BYTES) {
      setError(IMPORT_MESSAGES.tooLarge);
      return;
    }
    setReading(true);
    const result = await uploadForPreview(file).catch(() => ({
      ok: false as const,
      error: NETWORK,
    }));
    if (seq !== asked.current) return;
    setReading(false);
    if (result.ok) setPreview(result);
    else setError(result.error);
  }

  async function onImport() {
    if (!preview) return;
    setImporting(true);
    const result = await importCsvAction({ importId: preview.importId }).catch(() => ({
      ok: false as const,
      error: "That didn't go through. Try again.",
    }));
    setImporting(false);
    if (!result.ok) {
      if ("conflict" in result && result.conflict) {
        setNotice(result.error);
        const again = await importPreviewAction({ importId: preview.importId });
        if (again.ok) setPreview(again);
        else setError(again.error);
      } else setError(result.error);
      return;
    }
    const left = result.skipped + result.errors;
    if (result.job) {
      // Its progress bar shows above the table at once (jobs-panel.tsx listens).
      window.dispatchEvent(new CustomEvent(JOB_STARTED_EVENT, { detail: result.job.id }));
      toast.success(
        `Importing ${plural(result.job.total, "person", "people")} as a job: its progress shows above the table.`,
      );
      setOpen(false);
      reset();
      return;
    }
    toast.success(
      `Imported ${plural(result.done, "person", "people")}${left ? `; ${plural(left, "row")} not imported` : ""}.`,
    );
    setOpen(false);
    reset();
  }

  const creates = preview ? preview.create.invited + preview.create.pending : 0;
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (importing) return;
        setOpen(next);
        if (!next) reset();
      }}
    >
      <DialogTrigger asChild>
        <Button variant="secondary">
          <FileUp aria-hidden="true" className="size-4" />
          {IMPORT_WORDING.button}
        </Button>
      </DialogTrigger>
      <DialogContent className="max-w-2xl">
        <DialogTitle>{IMPORT_WORDING.title}</DialogTitle>
        <DialogDescription>{IMPORT_WORDING.effect}</DialogDescription>
        <div className="mt-4 space-y-4">
          <div>
            <label htmlFor={`${id}-file`} className="block text-sm font-medium">
              {IMPORT_WORDING.field}
            </label>
            <input
              id={`${id}-file`}
              type="file"
              accept=".csv,text/csv"
              disabled={importing}
              aria-describedby={`${id}-hint`}
              onChange={(e) => onFile(e.target.files?.[0])}
              className={FIELD}
            />
            <p id={`${id}-hint`} className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
              {IMPORT_WORDING.hint}
            </p>
          </div>
          <FormAlert>{error ?? notice}</FormAlert>
          <p aria-live="polite" className="min-h-5 text-sm text-zinc-600 dark:text-zinc-400">
            {reading ? "Reading the file…" : preview ? summary(preview) : ""}
          </p>
          {preview ? <PreviewLists preview={preview} /> : null}
        </div>
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="secondary" disabled={importing}>
              Cancel
            </Button>
          </DialogClose>
          <Button
            variant="primary"
            disabled={importing || reading || !preview || creates === 0}
            onClick={onImport}
          >
            {importing ? IMPORT_WORDING.pending : IMPORT_WORDING.verb}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

function summary(p: ImportPreview): string {
  const parts = [
    `${plural(p.create.invited + p.create.pending, "person", "people")} will be created (${formatCount(p.create.invited)} invited, ${formatCount(p.create.pending)} pending)`,
  ];
  if (p.errorCount) parts.push(`${plural(p.errorCount, "row")} with errors, not imported`);
  if (p.skippedCount) parts.push(`${formatCount(p.skippedCount)} skipped`);
  return `${parts.join("; ")}. ${plural(p.seats.free, "free seat")}.`;
}

function RowList({
  label,
  rows,
  total,
  render,
}: {
  label: string;
  rows: ImportRowView[];
  total: number;
  render: (r: ImportRowView) => React.ReactNode;
}) {
  if (total === 0) return null;
  const more = total - rows.length;
  return (
    <div>
      <h3 className="font-medium">
        {label} ({formatCount(total)})
      </h3>
      <ul aria-label={label} className="mt-1 space-y-0.5">
        {rows.map((r) => (
          <li key={r.line} className="break-all">
            {render(r)}
          </li>
        ))}
        {more > 0 ? <li>and {formatCount(more)} more.</li> : null}
      </ul>
    </div>
  );
}

function PreviewLists({ preview }: { preview: ImportPreview }) {
  const shown = preview.errors.length + preview.skipped.length + preview.willCreate.length;
  return (
    <section
      aria-label="Preview"
      tabIndex={shown > 8 ? 0 : undefined}
      className="max-h-72 space-y-3 overflow-y-auto rounded-md border border-zinc-200 p-3 text-sm outline-none focus-visible:ring-2 focus-visible:ring-indigo-500/40 dark:border-zinc-800"
    >
      <RowList
        label="Errors"
        rows={preview.errors}
        total={preview.errorCount}
        render={(r) =>
          r.problems.map((p) => (
            <span key={`${p.column}-${p.problem}`} className="block">
              <span className="font-medium">
                Line {r.line}
                {p.column ? `, ${p.column}` : ""}:
              </span>{" "}
              {p.problem} {p.fix}
            </span>
          ))
        }
      />
      <RowList
        label="Skipped"
        rows={preview.skipped}
        total={preview.skippedCount}
        render={(r) => (
          <>
            <span className="font-medium">Line {r.line}: </span>
            {r.user ? (
              <Link
                href={`/users/${r.user.id}`}
                className="font-medium text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300"
              >
                {r.email}
              </Link>
            ) : (
              r.email
            )}
            : {r.problems[0]?.problem}
          </>
        )}
      />
      <RowList
        label="Will be created"
        rows={preview.willCreate}
        total={preview.create.invited + preview.create.pending}
        render={(r) => (
          <>
            {r.name} <span className="text-zinc-600 dark:text-zinc-400">{r.email}</span> ({r.role},{" "}
            {r.status})
          </>
        )}
      />
    </section>
  );
}
