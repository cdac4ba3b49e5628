"use client";

import { UserPlus } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
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
import { PASTE_LIMITS, PASTE_MESSAGES } from "@/model/limits";
import { ROLE_LABELS, type UserRole } from "@/model/roles";
import { NEW_USER_VERBS } from "@/model/verbs";
import { JOB_STARTED_EVENT } from "../../jobs/jobs-panel";
import { type NewUsersPreviewResponse, newUsersAction, previewNewUsersAction } from "../actions";

const invite = NEW_USER_VERBS.invite;
const FIELD =
  "mt-1 block w-full rounded-md border border-zinc-300 bg-white px-3 text-sm shadow-sm outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 dark:border-zinc-700 dark:bg-zinc-900";

type Preview = Extract<NewUsersPreviewResponse, { ok: true }>;

/** What the preview is for: the text and role it was asked with. */
type Asked = { emails: string; role: UserRole };

/**
 * "Invite people": paste addresses, pick a role below your own, see who will be invited and who
 * is skipped and why (asked again as the text changes), then confirm with "Invite".
 */
export function InviteDialog({
  roles,
  defaultOpen = false,
}: {
  roles: readonly UserRole[];
  defaultOpen?: boolean;
}) {
  const [open, setOpen] = useState(defaultOpen);
  const [emails, setEmails] = useState("");
  const defaultRole: UserRole = roles.includes("member") ? "member" : (roles.at(-1) ?? "member");
  const [role, setRole] = useState<UserRole>(defaultRole);
  const [preview, setPreview] = useState<{ asked: Asked; result: Preview } | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** "Something changed since the preview": kept while the new preview loads and shows. */
  const [notice, setNotice] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const [inviting, setInviting] = useState(false);
  // Bumped to ask again for the same text (after "something changed since the preview").
  const [round, setRound] = useState(0);
  const asked = useRef(0);
  const id = useId();
  const router = useRouter();

  useEffect(() => {
    if (!open || round < 0) return;
    const seq = ++asked.current;
    const ask: Asked = { emails, role };
    if (!emails.trim()) {
      setPreview(null);
      setError(null);
      setChecking(false);
      return;
    }
    if (new TextEncoder().encode(emails).length > PASTE_LIMITS.bytes) {
      setPreview(null);
      setError(PASTE_MESSAGES.tooLong);
      return;
    }
    setChecking(true);
    const timer = setTimeout(async () => {
      const result = await previewNewUsersAction({ action: "invite", options: ask }).catch(() => ({
        ok: false as const,
        error: "The preview didn't load. Check your connection and try again.",
      }));
      if (seq !== asked.current) return;
      setChecking(false);
      if (result.ok) {
        setPreview({ asked: ask, result });
        setError(null);
      } else {
        setPreview(null);
        setError(result.error);
      }
    }, 300);
    return () => clearTimeout(timer);
  }, [open, emails, role, round]);

  const current =
    preview && preview.asked.emails === emails && preview.asked.role === role && !checking
      ? preview.result
      : null;

  function reset() {
    setEmails("");
    setRole(defaultRole);
    setPreview(null);
    setError(null);
    setNotice(null);
  }

  async function onInvite() {
    if (!current) return;
    setInviting(true);
    const result = await newUsersAction({
      action: "invite",
      options: { emails, role },
      expected: current.fingerprint,
    }).catch(() => ({ ok: false as const, error: "That didn't go through. Try again." }));
    setInviting(false);
    if (!result.ok) {
      // Something changed meanwhile: ask for a fresh preview of the same text.
      if ("conflict" in result && result.conflict) {
        setNotice(result.error);
        setRound((r) => r + 1);
      } else setError(result.error);
      return;
    }
    const skipped = result.skippedCount
      ? `; ${plural(result.skippedCount, "address", "addresses")} skipped`
      : "";
    if (result.job) {
      // Its progress bar shows above the table at once (jobs-panel.tsx listens), and on Jobs.
      window.dispatchEvent(new CustomEvent(JOB_STARTED_EVENT, { detail: result.job.id }));
      toast.success(
        `Inviting ${plural(result.job.total, "person", "people")} as a job${skipped}: its progress shows above the table and on Jobs.`,
        { action: { label: "Open Jobs", onClick: () => router.push("/jobs") } },
      );
      setOpen(false);
      reset();
      return;
    }
    toast.success(`${invite.wording.done} ${plural(result.done, "person", "people")}${skipped}.`);
    setOpen(false);
    reset();
  }

  const busy = inviting;
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (busy) return;
        setOpen(next);
        if (!next) reset();
      }}
    >
      <DialogTrigger asChild>
        <Button variant="primary">
          <UserPlus aria-hidden="true" className="size-4" />
          {invite.wording.title}
        </Button>
      </DialogTrigger>
      <DialogContent className="max-w-xl">
        <DialogTitle>{invite.wording.title}</DialogTitle>
        <DialogDescription>{invite.wording.effect}</DialogDescription>
        <div className="mt-4 space-y-4">
          <div>
            <label htmlFor={`${id}-emails`} className="block text-sm font-medium">
              {invite.fields.emails.label()}
            </label>
            <textarea
              id={`${id}-emails`}
              value={emails}
              disabled={busy}
              rows={5}
              spellCheck={false}
              aria-describedby={`${id}-emails-hint`}
              onChange={(e) => {
                setEmails(e.target.value);
                setNotice(null);
              }}
              className={`${FIELD} py-2 font-mono`}
            />
            <p id={`${id}-emails-hint`} className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
              Separate them with commas, spaces or new lines; “Name &lt;address&gt;” works too. Up
              to {formatCount(PASTE_LIMITS.entries)} at a time.
            </p>
          </div>
          <div>
            <label htmlFor={`${id}-role`} className="block text-sm font-medium">
              {invite.fields.role.label()}
            </label>
            <select
              id={`${id}-role`}
              value={role}
              disabled={busy}
              onChange={(e) => {
                setRole(e.target.value as UserRole);
                setNotice(null);
              }}
              className={`${FIELD} h-9`}
            >
              {roles.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </select>
          </div>
          <FormAlert>{error ?? notice}</FormAlert>
          <p aria-live="polite" className="min-h-5 text-sm text-zinc-600 dark:text-zinc-400">
            {checking ? "Checking the addresses…" : current ? summary(current) : ""}
          </p>
          {current ? <PreviewLists preview={current} /> : null}
        </div>
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="secondary" disabled={busy}>
              Cancel
            </Button>
          </DialogClose>
          <Button
            variant="primary"
            disabled={busy || !current || current.willInviteCount === 0}
            onClick={onInvite}
          >
            {busy ? invite.wording.pending : invite.wording.verb}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

function summary(p: Preview): string {
  const will = `${plural(p.willInviteCount, "person", "people")} will be invited`;
  const skipped = p.skippedCount ? `, ${formatCount(p.skippedCount)} skipped` : "";
  const seats = p.seats ? ` (${plural(p.seats.free, "free seat")})` : "";
  return `${will}${skipped}${seats}.`;
}

function PreviewLists({ preview }: { preview: Preview }) {
  const moreInvited = preview.willInviteCount - preview.willInvite.length;
  const moreSkipped = preview.skippedCount - preview.skipped.length;
  return (
    <section
      aria-label="Preview"
      // A list long enough to scroll must be reachable by keyboard to be scrolled.
      tabIndex={preview.willInvite.length + preview.skipped.length > 8 ? 0 : undefined}
      className="max-h-64 space-y-3 overflow-y-auto rounded-md border border-zinc-200 p-3 text-sm outline-none focus-visible:ring-2 focus-visible:ring-indigo-500/40 dark:border-zinc-800"
    >
      {preview.willInviteCount > 0 ? (
        <div>
          <h3 className="font-medium">Will be invited ({formatCount(preview.willInviteCount)})</h3>
          <ul aria-label="Will be invited" className="mt-1 space-y-0.5">
            {preview.willInvite.map((e) => (
              <li key={e.index} className="break-all">
                {e.name} <span className="text-zinc-600 dark:text-zinc-400">{e.email}</span>
              </li>
            ))}
            {moreInvited > 0 ? <li>and {formatCount(moreInvited)} more.</li> : null}
          </ul>
        </div>
      ) : null}
      {preview.skippedCount > 0 ? (
        <div>
          <h3 className="font-medium">Skipped ({formatCount(preview.skippedCount)})</h3>
          <ul aria-label="Skipped" className="mt-1 space-y-0.5">
            {preview.skipped.map((s) => (
              <li key={s.index} className="break-all">
                {s.invite === false && s.user ? (
                  <Link
                    href={`/users/${s.user.id}`}
                    className="font-medium text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300"
                  >
                    {s.raw}
                  </Link>
                ) : (
                  <span className="font-medium">{s.raw}</span>
                )}
                : {s.invite === false ? s.reason : null}
              </li>
            ))}
            {moreSkipped > 0 ? <li>and {formatCount(moreSkipped)} more.</li> : null}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
