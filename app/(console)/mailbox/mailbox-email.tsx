import type { OutboxEmail } from "@/db/schema";
import { resolveAuthSecret } from "@/lib/env";
import { formatDateTime, plural } from "@/lib/format";
import { linkify } from "@/lib/mail/mailbox";
import { renderBody } from "@/lib/mail/sealed-link";

const KIND_LABELS: Record<string, string> = {
  invitation: "Invitation",
  deactivated: "Deactivation notice",
  restored: "Restore notice",
  "password-reset": "Password reset",
  "access-approved": "Access request approved",
  "access-rejected": "Access request declined",
  "access-requests": "Access requests",
};

function deliveryText(email: OutboxEmail, smtp: boolean): string {
  if (email.sentAt) return `Sent ${formatDateTime(email.sentAt)}`;
  if (email.attempts > 0) {
    const tries = plural(email.attempts, "attempt");
    return `Not sent yet (${tries}); next try ${formatDateTime(email.nextAttemptAt)}`;
  }
  return smtp ? "Waiting to be sent" : "Not sent (no SMTP server)";
}

/** Without SMTP the mailbox is how links reach people, so it shows them; with SMTP it never does. */
function shownBody(email: OutboxEmail, smtp: boolean): string {
  return renderBody(email.body, email.sealedToken, smtp ? null : resolveAuthSecret());
}

export function MailboxEmail({ email, smtp }: { email: OutboxEmail; smtp: boolean }) {
  const headingId = `email-${email.id}`;
  return (
    <article
      aria-labelledby={headingId}
      className="rounded-md border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-950"
    >
      <header className="mb-3 space-y-1">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id={headingId} className="font-medium">
            {email.subject}
          </h2>
          <span className="rounded-full bg-zinc-100 px-2 py-0.5 text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
            {KIND_LABELS[email.kind] ?? email.kind}
          </span>
        </div>
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-sm">
          <dt className="text-zinc-600 dark:text-zinc-400">To</dt>
          <dd className="break-all">{email.toEmail}</dd>
          <dt className="text-zinc-600 dark:text-zinc-400">Created</dt>
          <dd>{formatDateTime(email.createdAt)}</dd>
          <dt className="text-zinc-600 dark:text-zinc-400">Delivery</dt>
          <dd>{deliveryText(email, smtp)}</dd>
          {email.lastError && !email.sentAt ? (
            <>
              <dt className="text-zinc-600 dark:text-zinc-400">Last error</dt>
              <dd className="break-all text-red-700 dark:text-red-300">{email.lastError}</dd>
            </>
          ) : null}
        </dl>
      </header>
      <pre className="whitespace-pre-wrap break-words rounded bg-zinc-50 p-3 font-sans text-sm dark:bg-zinc-900">
        {linkify(shownBody(email, smtp)).map((part) =>
          part.href ? (
            <a
              key={part.at}
              href={part.href}
              className="break-all text-indigo-700 underline dark:text-indigo-300"
            >
              {part.text}
            </a>
          ) : (
            <span key={part.at}>{part.text}</span>
          ),
        )}
      </pre>
    </article>
  );
}
