import type { Metadata } from "next";
import Link from "next/link";
import { forbidden } from "next/navigation";
import { PersonLink } from "@/components/audit/person-link";
import { RecordsMoved } from "@/components/audit/records-moved";
import { StatusChange } from "@/components/audit/status-change";
import { getDb } from "@/db";
import { auditActionOptions, listAuditEvents } from "@/lib/audit/queries";
import {
  AUDIT_DEFAULT_PAGE_SIZE,
  AUDIT_PAGE_SIZES,
  type AuditView,
  auditActionLabel,
  auditViewQuery,
  isFiltered,
  parseAuditView,
} from "@/lib/audit/view";
import { formatDateTime } from "@/lib/format";
import { requireActor } from "@/lib/session";
import { can } from "@/lib/users/permissions";

export const metadata: Metadata = { title: "Audit log" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const CONTROL =
  "h-9 w-full rounded-md border border-zinc-300 bg-white px-3 text-sm text-zinc-900 shadow-sm dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100";
const LABEL = "mb-1 block text-xs font-medium text-zinc-700 dark:text-zinc-300";
const count = new Intl.NumberFormat("en");

export default async function AuditPage({ searchParams }: Props) {
  const actor = await requireActor();
  if (!can(actor.role, "audit.view")) forbidden();
  const view = parseAuditView(await searchParams);
  const db = await getDb();
  const [{ rows, total: counted, prev, next }, actions] = await Promise.all([
    listAuditEvents(db, view),
    auditActionOptions(db),
  ]);
  const total = counted.n;
  const totalText = counted.capped ? `${count.format(total)}+` : count.format(total);
  const badRange = view.from && view.to && view.from > view.to;

  return (
    <main>
      <h1 className="mb-1 text-2xl font-semibold tracking-tight">Audit log</h1>
      <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">
        Every change to a user, newest first. Times are in UTC.
      </p>

      <search>
        <form
          method="get"
          action="/audit"
          className="mb-4 grid grid-cols-1 items-end gap-3 rounded-md border border-zinc-200 p-3 sm:grid-cols-2 lg:grid-cols-[1fr_12rem_1fr_10rem_10rem_auto] dark:border-zinc-800"
        >
          {view.size !== AUDIT_DEFAULT_PAGE_SIZE ? (
            <input type="hidden" name="size" value={view.size} />
          ) : null}
          <div>
            <label htmlFor="audit-actor" className={LABEL}>
              Actor
            </label>
            <input
              id="audit-actor"
              name="actor"
              type="search"
              defaultValue={view.actor}
              placeholder="Name, email or id"
              className={CONTROL}
            />
          </div>
          <div>
            <label htmlFor="audit-action" className={LABEL}>
              Action
            </label>
            <select id="audit-action" name="action" defaultValue={view.action} className={CONTROL}>
              <option value="">All actions</option>
              {actions.map((a) => (
                <option key={a.value} value={a.value}>
                  {a.label}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="audit-target" className={LABEL}>
              Target
            </label>
            <input
              id="audit-target"
              name="target"
              type="search"
              defaultValue={view.target}
              placeholder="Name, email or id"
              className={CONTROL}
            />
          </div>
          <div>
            <label htmlFor="audit-from" className={LABEL}>
              From
            </label>
            <input
              id="audit-from"
              name="from"
              type="date"
              defaultValue={view.from ?? ""}
              className={CONTROL}
            />
          </div>
          <div>
            <label htmlFor="audit-to" className={LABEL}>
              To
            </label>
            <input
              id="audit-to"
              name="to"
              type="date"
              defaultValue={view.to ?? ""}
              className={CONTROL}
            />
          </div>
          <div className="flex items-center gap-3">
            <button
              type="submit"
              className="h-9 whitespace-nowrap rounded-md bg-indigo-600 px-3.5 text-sm font-medium text-white shadow-sm hover:bg-indigo-500 dark:bg-indigo-500 dark:hover:bg-indigo-400"
            >
              Apply filters
            </button>
            {isFiltered(view) ? (
              <Link
                href="/audit"
                className="whitespace-nowrap text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300"
              >
                Clear filters
              </Link>
            ) : null}
          </div>
        </form>
      </search>

      {badRange ? (
        <p role="status" className="mb-3 text-sm text-amber-800 dark:text-amber-300">
          The “From” day is after the “To” day, so no event can match.
        </p>
      ) : null}

      {rows.length === 0 ? (
        <div className="rounded-md border border-dashed border-zinc-300 p-10 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
          {isFiltered(view) ? "No events match these filters." : "Nothing has happened yet."}
        </div>
      ) : (
        <div className="relative overflow-x-auto rounded-md border border-zinc-200 dark:border-zinc-800">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">
              {rows.length} audit events of {totalText}, newest first
            </caption>
            <thead className="bg-zinc-50 text-xs uppercase tracking-wide text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400">
              <tr>
                {["Time", "Actor", "Action", "Target", "Status", "Records moved", "Reason"].map(
                  (h) => (
                    <th key={h} scope="col" className="whitespace-nowrap px-4 py-2 font-medium">
                      {h}
                    </th>
                  ),
                )}
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr key={e.id} className="border-t border-zinc-100 align-top dark:border-zinc-900">
                  <td className="whitespace-nowrap px-4 py-2.5 tabular-nums">
                    <time dateTime={e.at}>{formatDateTime(e.at)}</time>
                  </td>
                  <td className="whitespace-nowrap px-4 py-2.5">
                    <PersonLink person={e.actor} />
                  </td>
                  <td className="whitespace-nowrap px-4 py-2.5">{auditActionLabel(e.action)}</td>
                  <td className="whitespace-nowrap px-4 py-2.5">
                    <PersonLink person={e.target} />
                  </td>
                  <td className="whitespace-nowrap px-4 py-2.5">
                    <StatusChange from={e.fromStatus} to={e.toStatus} />
                  </td>
                  <td className="px-4 py-2.5">
                    <RecordsMoved moved={e.recordsMoved} />
                  </td>
                  <td className="min-w-48 max-w-md px-4 py-2.5 break-words">{e.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <nav
        aria-label="Pagination"
        className="mt-3 flex flex-wrap items-center justify-between gap-3 text-sm"
      >
        <p className="text-zinc-600 dark:text-zinc-400">
          {!view.cursor || (!prev && rows.length > 0)
            ? `1–${count.format(rows.length)} of ${totalText} events`
            : `${count.format(rows.length)} of ${totalText} events`}
        </p>
        <div className="flex flex-wrap items-center gap-3">
          <span>
            Rows per page:{" "}
            {AUDIT_PAGE_SIZES.map((s) =>
              s === view.size ? (
                <span key={s} aria-current="true" className="mx-1 font-semibold">
                  {s}
                </span>
              ) : (
                <Link
                  key={s}
                  href={`/audit${auditViewQuery({ ...view, size: s, cursor: undefined })}`}
                  className="mx-1 text-indigo-700 underline dark:text-indigo-300"
                  aria-label={`${s} rows per page`}
                >
                  {s}
                </Link>
              ),
            )}
          </span>
          <PageLink view={view} cursor={undefined} disabled={!prev}>
            First page
          </PageLink>
          <PageLink view={view} cursor={prev ?? undefined} disabled={!prev}>
            Previous page
          </PageLink>
          <PageLink view={view} cursor={next ?? undefined} disabled={!next}>
            Next page
          </PageLink>
          <PageLink view={view} cursor="last" disabled={!next}>
            Last page
          </PageLink>
        </div>
      </nav>
    </main>
  );
}

function PageLink({
  view,
  cursor,
  disabled,
  children,
}: {
  view: AuditView;
  cursor: string | undefined;
  disabled: boolean;
  children: string;
}) {
  const cls = "rounded-md border border-zinc-300 px-3 py-1 dark:border-zinc-700";
  if (disabled) {
    return (
      <span aria-disabled="true" className={`${cls} text-zinc-500 dark:text-zinc-400`}>
        {children}
      </span>
    );
  }
  return (
    <Link
      href={`/audit${auditViewQuery({ ...view, cursor })}`}
      className={`${cls} hover:bg-zinc-50 dark:hover:bg-zinc-900`}
    >
      {children}
    </Link>
  );
}
