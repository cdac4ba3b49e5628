import { Mail } from "lucide-react";
import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { createLoader } from "nuqs/server";
import { DataTableEmpty } from "@/components/data-table/empty-state";
import { DataTablePagination } from "@/components/data-table/pagination";
import { IntentLink } from "@/components/intent-link";
import { getDb } from "@/lib/db";
import { settings } from "@/lib/env";
import { plural } from "@/lib/format";
import { listOutbox } from "@/lib/mail/mailbox";
import { requireActor } from "@/lib/session";
import { parseAsPage, parseAsSearchText } from "@/lib/url";
import { can } from "@/model/permissions";
import { MailboxEmail } from "./mailbox-email";

export const metadata: Metadata = { title: "Mailbox", referrer: "no-referrer" };

/** The mailbox's URL: a NUL byte or an overlong recipient falls back to everyone. */
const loadMailboxParams = createLoader({
  page: parseAsPage.withDefault(1),
  to: parseAsSearchText.withDefault(""),
});

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function MailboxPage({ searchParams }: Props) {
  const actor = await requireActor();
  if (!can(actor.role, "mailbox.view")) forbidden();
  const params = loadMailboxParams(await searchParams);
  const smtp = Boolean(settings().smtpUrl);
  const { emails, total, page, pages } = await listOutbox(await getDb(), params);
  const href = (p: number) => {
    const query = new URLSearchParams();
    if (params.to) query.set("to", params.to);
    if (p > 1) query.set("page", String(p));
    const qs = query.toString();
    return qs ? `/mailbox?${qs}` : "/mailbox";
  };

  return (
    <main>
      <h1 className="mb-1 text-2xl font-semibold tracking-tight">Mailbox</h1>
      <p className="mb-4 max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">
        Every email Roster writes (invitations, account notices), newest first. Open an invitation
        link here to accept it on the invitee&apos;s behalf while testing.
      </p>
      <p
        role="note"
        className="mb-4 max-w-3xl rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2 text-sm dark:border-zinc-800 dark:bg-zinc-900"
      >
        {smtp
          ? "Emails are being sent through SMTP; this is a copy."
          : "No SMTP server is set (SMTP_URL), so emails are not sent: this mailbox is the only copy."}
      </p>

      <form method="get" action="/mailbox" className="mb-4 flex flex-wrap items-end gap-2">
        <div className="space-y-1">
          <label htmlFor="mailbox-to" className="block text-sm font-medium">
            Recipient
          </label>
          <input
            id="mailbox-to"
            name="to"
            type="search"
            defaultValue={params.to}
            placeholder="name@example.com"
            className="block w-72 rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
          />
        </div>
        <button
          type="submit"
          className="rounded-md border border-zinc-300 px-3 py-2 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
        >
          Search
        </button>
        {params.to ? (
          <IntentLink href="/mailbox" className="px-2 py-2 text-sm underline hover:no-underline">
            Show all
          </IntentLink>
        ) : null}
      </form>

      {emails.length === 0 ? (
        <div className="rounded-md border border-dashed border-zinc-300 dark:border-zinc-700">
          <DataTableEmpty
            icon={Mail}
            title={params.to ? "No emails match" : "No emails yet"}
            body={
              params.to
                ? `No emails to an address containing “${params.to}”.`
                : "Invitations and account notices appear here as soon as they are written."
            }
          />
        </div>
      ) : (
        <ol className="space-y-4">
          {emails.map((email) => (
            <li key={email.id}>
              <MailboxEmail email={email} smtp={smtp} />
            </li>
          ))}
        </ol>
      )}

      <DataTablePagination
        label="Mailbox pages"
        summary={`${plural(total, "email")} · page ${page} of ${pages}`}
        links={{
          first: page > 1 ? href(1) : null,
          previous: page > 1 ? href(page - 1) : null,
          next: page < pages ? href(page + 1) : null,
          last: page < pages ? href(pages) : null,
        }}
      />
    </main>
  );
}
