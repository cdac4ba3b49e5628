"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
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
import { FormAlert, TextField } from "@/components/ui/form-fields";
import { toast } from "@/components/ui/toaster";
import { formatCount, formatDateTime, plural } from "@/lib/format";
import type { LastRun } from "@/lib/policies/define";
import type { DormantPolicy } from "@/lib/policies/dormant";
import type { RetentionPolicy } from "@/lib/policies/retention";
import { ROLE_LABELS } from "@/model/roles";
import { previewPolicyAction, runPolicyNowAction, savePolicyAction } from "./actions";

type PolicyName = "dormant" | "retention";

/** A preview's answer in words, and where /users lists the same users, if it can. */
type Preview = { text: string; count: number; usersHref: string | null };

/** What saving, previewing and "Run now" share: the calls, their answers, and the dialog. */
function usePolicyForm(policy: PolicyName, savedMessage: string) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [pending, startTransition] = useTransition();
  const save = (settings: unknown) =>
    startTransition(async () => {
      setError(null);
      const result = await savePolicyAction({ policy, settings }).catch(() => ({
        ok: false as const,
        error: UNREACHABLE,
      }));
      if (!result.ok) {
        setError(result.error);
        return;
      }
      toast.success(result.changed ? savedMessage : "Nothing to save: that is the current policy.");
      router.refresh();
    });
  const showPreview = (settings: unknown, words: (count: number, warn: number | null) => string) =>
    startTransition(async () => {
      setError(null);
      const result = await previewPolicyAction({ policy, settings }).catch(() => ({
        ok: false as const,
        error: UNREACHABLE,
      }));
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setPreview({
        text: words(result.count, result.warnCount),
        count: result.count,
        usersHref: result.usersHref,
      });
    });
  return { error, preview, setPreview, confirming, setConfirming, pending, save, showPreview };
}

function PolicyButtons({
  pending,
  onPreview,
  onRun,
  lastRun,
  error,
  preview,
}: {
  pending: boolean;
  onPreview: () => void;
  onRun: () => void;
  lastRun: LastRun;
  error: string | null;
  preview: Preview | null;
}) {
  return (
    <>
      <FormAlert>{error}</FormAlert>
      <p aria-live="polite" className="min-h-5 text-sm">
        {preview?.text}
        {preview?.usersHref && preview.count > 0 ? (
          <>
            {" "}
            <Link
              href={preview.usersHref}
              className="font-medium text-indigo-700 underline underline-offset-2 dark:text-indigo-300"
            >
              See {preview.count === 1 ? "this user" : `these ${formatCount(preview.count)} users`}{" "}
              in Users
            </Link>
          </>
        ) : null}
      </p>
      <div className="flex flex-wrap gap-2">
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? "Saving…" : "Save"}
        </Button>
        <Button type="button" variant="secondary" disabled={pending} onClick={onPreview}>
          Preview
        </Button>
        <Button type="button" variant="secondary" disabled={pending} onClick={onRun}>
          Run now
        </Button>
      </div>
      <p className="text-xs text-zinc-600 dark:text-zinc-400">
        {lastRun
          ? `Last run: ${formatDateTime(new Date(lastRun.createdAt))}, ${
              lastRun.status === "done"
                ? `${plural(lastRun.done, "user")} changed.`
                : lastRun.status === "failed"
                  ? `stopped: ${lastRun.error ?? "an error"}`
                  : `${lastRun.status}.`
            }`
          : "It hasn't run yet."}
      </p>
    </>
  );
}

const UNREACHABLE = "Couldn't reach the server. Try again.";
const ROLES = ["admin", "manager", "support", "member"] as const;

type Form = {
  enabled: boolean;
  days: string;
  warnDays: string;
  excludeRoles: string[];
  exemptDays: string;
};

const formOf = (p: DormantPolicy): Form => ({
  enabled: p.enabled,
  days: String(p.days),
  warnDays: String(p.warnDays),
  excludeRoles: [...p.excludeRoles],
  exemptDays: String(p.exemptDays),
});

/** "Dormant users" on /settings: the policy, its preview, and Run now (with a confirmation). */
export function DormantPolicyForm({ saved, lastRun }: { saved: DormantPolicy; lastRun: LastRun }) {
  const id = useId();
  const [form, setForm] = useState<Form>(() => formOf(saved));
  const f = usePolicyForm("dormant", "Dormant-user policy saved.");
  const set = (patch: Partial<Form>) => {
    setForm((current) => ({ ...current, ...patch }));
    f.setPreview(null);
  };
  const changedSinceSave = JSON.stringify(formOf(saved)) !== JSON.stringify(form);

  return (
    <div className="max-w-3xl space-y-4">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Deactivates, once a day, active and invited users who haven&apos;t signed in for a number of
        days (for an invitation never accepted, counted from the invitation). It acts as
        &ldquo;Policy: dormant users&rdquo; with the same rules and audit as a person; the workspace
        owner is never deactivated. Deactivated users can be reactivated.
      </p>
      <form
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          f.save(form);
        }}
      >
        <label htmlFor={`${id}-on`} className="flex items-center gap-2 text-sm font-medium">
          <Checkbox
            id={`${id}-on`}
            role="switch"
            checked={form.enabled}
            onChange={(e) => set({ enabled: e.target.checked })}
          />
          Deactivate dormant users
        </label>
        <div className="grid gap-4 sm:grid-cols-3">
          <TextField
            id={`${id}-days`}
            label="Days without signing in"
            inputMode="numeric"
            value={form.days}
            onChange={(e) => set({ days: e.target.value })}
          />
          <TextField
            id={`${id}-warn`}
            label="Warn them, days before"
            inputMode="numeric"
            value={form.warnDays}
            onChange={(e) => set({ warnDays: e.target.value })}
            hint="0: no warning email."
          />
          <TextField
            id={`${id}-exempt`}
            label="Exempt if reactivated in the last, days"
            inputMode="numeric"
            value={form.exemptDays}
            onChange={(e) => set({ exemptDays: e.target.value })}
            hint="0: no exemption."
          />
        </div>
        <fieldset>
          <legend className="text-sm font-medium">Leave out these roles</legend>
          <div className="mt-1 flex flex-wrap gap-x-4 gap-y-2">
            {ROLES.map((role) => (
              <label
                key={role}
                htmlFor={`${id}-${role}`}
                className="flex items-center gap-2 text-sm"
              >
                <Checkbox
                  id={`${id}-${role}`}
                  checked={form.excludeRoles.includes(role)}
                  onChange={(e) =>
                    set({
                      excludeRoles: e.target.checked
                        ? [...form.excludeRoles, role]
                        : form.excludeRoles.filter((r) => r !== role),
                    })
                  }
                />
                {ROLE_LABELS[role]}
              </label>
            ))}
          </div>
        </fieldset>
        <PolicyButtons
          pending={f.pending}
          error={f.error}
          preview={f.preview}
          lastRun={lastRun}
          onPreview={() =>
            f.showPreview(
              form,
              (count, warn) =>
                `If the policy ran now, it would deactivate ${plural(count, "user")}${
                  warn !== null ? ` and warn ${formatCount(warn)} more by email` : ""
                }.`,
            )
          }
          onRun={() => f.setConfirming(true)}
        />
      </form>
      {f.confirming ? (
        <RunNowDialog
          policy="dormant"
          title="Run the dormant-user policy now?"
          description="It deactivates, as the saved policy says, everyone who is dormant now, and sends its warnings. They can be reactivated afterwards."
          unsaved={changedSinceSave}
          onClose={() => f.setConfirming(false)}
        />
      ) : null}
    </div>
  );
}

/** "Retention" on /settings: delete users archived for more than N days. */
export function RetentionPolicyForm({
  saved,
  lastRun,
  ownerName,
}: {
  saved: RetentionPolicy;
  lastRun: LastRun;
  /** The default owner who takes the records, if one is set and active. */
  ownerName: string | null;
}) {
  const id = useId();
  const [enabled, setEnabled] = useState(saved.enabled);
  const [days, setDays] = useState(String(saved.days));
  const f = usePolicyForm("retention", "Retention policy saved.");
  const form = { enabled, days };
  const changedSinceSave = saved.enabled !== enabled || String(saved.days) !== days;
  return (
    <div className="max-w-3xl space-y-4">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Permanently deletes, once a day, users archived for more than a number of days, as
        &ldquo;Policy: retention&rdquo;: their personal data is erased as by Delete permanently, and
        can&apos;t be restored. The Archived tab says a week ahead when each will be deleted.
        Records they own go to the default owner (
        {ownerName ?? "none chosen yet: choose one under Provisioning"}).
      </p>
      <form
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          f.save(form);
        }}
      >
        <label htmlFor={`${id}-on`} className="flex items-center gap-2 text-sm font-medium">
          <Checkbox
            id={`${id}-on`}
            role="switch"
            checked={enabled}
            onChange={(e) => {
              setEnabled(e.target.checked);
              f.setPreview(null);
            }}
          />
          Delete archived users after
        </label>
        <div className="max-w-xs">
          <TextField
            id={`${id}-days`}
            label="Days archived"
            inputMode="numeric"
            value={days}
            onChange={(e) => {
              setDays(e.target.value);
              f.setPreview(null);
            }}
          />
        </div>
        <PolicyButtons
          pending={f.pending}
          error={f.error}
          preview={f.preview}
          lastRun={lastRun}
          onPreview={() =>
            f.showPreview(
              form,
              (count) =>
                `If the policy ran now, it would permanently delete ${plural(count, "user")}.`,
            )
          }
          onRun={() => f.setConfirming(true)}
        />
      </form>
      {f.confirming ? (
        <RunNowDialog
          policy="retention"
          title="Run the retention policy now?"
          description="It permanently deletes, as the saved policy says, everyone archived for longer than its days. This can't be undone."
          unsaved={changedSinceSave}
          onClose={() => f.setConfirming(false)}
        />
      ) : null}
    </div>
  );
}

function RunNowDialog({
  policy,
  title,
  description,
  unsaved,
  onClose,
}: {
  policy: PolicyName;
  title: string;
  description: string;
  unsaved: boolean;
  onClose: () => void;
}) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function confirm() {
    setPending(true);
    setError(null);
    const result = await runPolicyNowAction({ policy }).catch(() => ({
      ok: false as const,
      error: UNREACHABLE,
    }));
    setPending(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    toast.success(
      `The policy is running: ${plural(result.total, "user")} to change. Each change will be in the audit log.`,
    );
    onClose();
    router.refresh();
  }

  return (
    <AlertDialog
      open
      onOpenChange={(open) => {
        if (!open && !pending) onClose();
      }}
    >
      <AlertDialogContent>
        <AlertDialogTitle>{title}</AlertDialogTitle>
        <AlertDialogDescription>
          {description}
          {unsaved ? " Changes not saved yet are not used: save them first." : ""}
        </AlertDialogDescription>
        <FormAlert>{error}</FormAlert>
        <DialogFooter>
          <AlertDialogCancel asChild>
            <Button variant="secondary" disabled={pending}>
              Cancel
            </Button>
          </AlertDialogCancel>
          <Button variant="destructive" onClick={() => void confirm()} disabled={pending}>
            {pending ? "Starting…" : "Run now"}
          </Button>
        </DialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
