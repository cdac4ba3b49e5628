"use client";

import { useRouter } from "next/navigation";
import { useId, useRef, useState, useTransition } from "react";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogTitle,
  DialogFooter,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/form-fields";
import { toast } from "@/components/ui/toaster";
import { formatDateTime } from "@/lib/format";
import { createScimTokenAction, revokeScimTokenAction } from "./actions";

export type ScimTokenItem = {
  id: string;
  name: string;
  createdAt: string;
  createdByName: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

const UNREACHABLE = "Couldn't reach the server. Try again.";

/** "SCIM tokens" on /settings: make a token (shown once), see when each was last used, revoke. */
export function ScimTokens({ tokens, baseUrl }: { tokens: ScimTokenItem[]; baseUrl: string }) {
  return (
    <div className="space-y-4">
      <p className="max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">
        Identity providers such as Okta and Microsoft Entra ID create, update and deprovision people
        through SCIM 2.0 at <code className="break-all">{baseUrl}</code>, with a bearer token made
        here. Each change they make is in the audit log as &ldquo;SCIM: &lt;token name&gt;&rdquo;.
      </p>
      <CreateToken />
      <TokenList tokens={tokens} />
    </div>
  );
}

function CreateToken() {
  const router = useRouter();
  const id = useId();
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [pending, startTransition] = useTransition();

  const create = () =>
    startTransition(async () => {
      setError(null);
      const result = await createScimTokenAction({ name }).catch(() => ({
        ok: false as const,
        error: UNREACHABLE,
      }));
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setCreated({ name: result.name, token: result.token });
      setName("");
      toast.success(`Token “${result.name}” created. Copy it now: it is shown only once.`);
      router.refresh();
    });

  const copy = async () => {
    if (!created) return;
    const field = document.getElementById(`${id}-token`);
    if (field instanceof HTMLInputElement) field.select();
    try {
      await navigator.clipboard.writeText(created.token);
      toast.success("Token copied.");
    } catch {
      toast.error("Couldn't copy: the token is selected, copy it with your keyboard.");
    }
  };

  return (
    <div className="space-y-3">
      <form
        className="flex max-w-xl flex-col gap-3 sm:flex-row sm:items-start"
        onSubmit={(e) => {
          e.preventDefault();
          create();
        }}
      >
        <div className="flex-1">
          <TextField
            id={`${id}-name`}
            label="Token name"
            autoComplete="off"
            value={name}
            maxLength={60}
            onChange={(e) => setName(e.target.value)}
            hint="Who will use it, e.g. Okta or Entra ID: their changes are audited under this name."
            error={error}
          />
        </div>
        <Button type="submit" variant="primary" disabled={pending} className="sm:mt-6">
          {pending ? "Creating…" : "Create token"}
        </Button>
      </form>
      {created ? (
        <div className="max-w-xl space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 dark:border-amber-800 dark:bg-amber-950/40">
          <TextField
            id={`${id}-token`}
            label="New token"
            readOnly
            value={created.token}
            className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 font-mono text-xs text-zinc-900 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
            onFocus={(e) => e.currentTarget.select()}
            hint={`The token “${created.name}”: copy it into your identity provider now. It is shown only this once.`}
          />
          <Button onClick={() => void copy()}>Copy</Button>
        </div>
      ) : null}
    </div>
  );
}

function TokenList({ tokens }: { tokens: ScimTokenItem[] }) {
  const [revoking, setRevoking] = useState<{ token: ScimTokenItem; trigger: HTMLElement } | null>(
    null,
  );
  const list = useRef<HTMLUListElement>(null);
  if (!tokens.length) {
    return <p className="text-sm text-zinc-600 dark:text-zinc-400">No tokens yet.</p>;
  }
  return (
    <>
      <ul
        ref={list}
        tabIndex={-1}
        aria-label="SCIM tokens"
        className="divide-y outline-none divide-zinc-200 dark:divide-zinc-800"
      >
        {tokens.map((t) => (
          <li
            key={t.id}
            className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between"
          >
            <div className="min-w-0 text-sm">
              <p className="font-medium break-words">
                {t.name}
                {t.revokedAt ? (
                  <span className="ml-2 font-normal text-zinc-600 dark:text-zinc-400">
                    (revoked {formatDateTime(t.revokedAt)})
                  </span>
                ) : null}
              </p>
              <p className="text-zinc-600 dark:text-zinc-400">
                Created {formatDateTime(t.createdAt)}
                {t.createdByName ? ` by ${t.createdByName}` : ""} · Last used{" "}
                {formatDateTime(t.lastUsedAt, "never")}
              </p>
            </div>
            {t.revokedAt ? null : (
              <Button
                variant="secondary"
                size="sm"
                onClick={(e) => setRevoking({ token: t, trigger: e.currentTarget })}
              >
                Revoke token
              </Button>
            )}
          </li>
        ))}
      </ul>
      {revoking ? (
        <RevokeDialog
          token={revoking.token}
          onClose={(revoked) => {
            const { trigger } = revoking;
            setRevoking(null);
            // Back to the row's button; once revoked that is gone, and the list takes focus.
            setTimeout(() => {
              if (!revoked && trigger.isConnected) trigger.focus();
              else list.current?.focus();
            }, 0);
          }}
        />
      ) : null}
    </>
  );
}

function RevokeDialog({
  token,
  onClose,
}: {
  token: ScimTokenItem;
  onClose: (revoked: boolean) => void;
}) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function confirm() {
    setPending(true);
    setError(null);
    const result = await revokeScimTokenAction({ id: token.id }).catch(() => ({
      ok: false as const,
      error: UNREACHABLE,
    }));
    setPending(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    toast.success(`Token “${result.name}” revoked.`);
    onClose(true);
    router.refresh();
  }

  return (
    <AlertDialog
      open
      onOpenChange={(open) => {
        if (!open && !pending) onClose(false);
      }}
    >
      <AlertDialogContent onCloseAutoFocus={(e) => e.preventDefault()}>
        <AlertDialogTitle>Revoke the token “{token.name}”?</AlertDialogTitle>
        <AlertDialogDescription>
          Requests with it are refused at once; the identity provider that uses it stops
          provisioning until it is given a new token. This can&apos;t be undone.
        </AlertDialogDescription>
        {error ? (
          <p
            role="alert"
            className="mt-3 rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/50 dark:text-red-200"
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
          <Button variant="destructive" onClick={() => void confirm()} disabled={pending}>
            {pending ? "Revoking…" : "Revoke token"}
          </Button>
        </DialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
