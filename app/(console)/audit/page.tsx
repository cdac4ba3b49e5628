import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { DataTablePageSize } from "@/components/data-table/page-size";
import { DataTablePagination } from "@/components/data-table/pagination";
import { IntentLink } from "@/components/intent-link";
import { type AuditEventsPage, auditActionOptions, auditLog } from "@/lib/audit/queries";
import {
  AUDIT_DEFAULT_PAGE_SIZE,
  AUDIT_PAGE_SIZES,
  type AuditView,
  auditViewQuery,
  isBadRange,
  isFiltered,
  parseAuditView,
} from "@/lib/audit/view";
import { getDb } from "@/lib/db";
import { formatCount, formatRange } from "@/lib/format";
import { requireActor } from "@/lib/session";
import { workspaceSettings } from "@/lib/workspace-settings";
import { can } from "@/model/permissions";
import { AuditTable } from "./audit-table";
import { PersonFilterField } from "./person-filter-field";
import { TooBroad } from "./too-broad";

export const metadata: Metadata = { title: "Audit log" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const CONTROL =
  "h-9 w-full rounded-md border border-zinc-300 bg-white px-3 text-sm text-zinc-900 shadow-sm dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100";
const LABEL = "mb-1 block text-xs font-medium text-zinc-700 dark:text-zinc-300";

export default async function AuditPage({ searchParams }: Props) {
  const actor = await requireActor();
  if (!can(actor.role, "audit.view")) forbidden();
  const view = parseAuditView(await searchParams);
  const db = await getDb();
  const [answer, actions, { reasons }] = await Promise.all([
    auditLog(db, view),
    auditActionOptions(db),
    workspaceSettings(db),
  ]);
  const badRange = isBadRange(view);
  const pageHref = (cursor: string | null) => `/audit${auditViewQuery({ ...view, cursor })}`;

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
          className="mb-4 grid grid-cols-1 items-end gap-3 rounded-md border border-zinc-200 p-3 sm:grid-cols-2 lg:grid-cols-4 dark:border-zinc-800"
        >
          {view.size !== AUDIT_DEFAULT_PAGE_SIZE ? (
            <input type="hidden" name="size" value={view.size} />
          ) : null}
          <PersonFilterField
            key={`actor ${view.actor}`}
            id="audit-actor"
            name="actor"
            label="Actor"
            value={view.actor}
            picked={answer.picked.actor}
            className={CONTROL}
            labelClassName={LABEL}
          />
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
          <PersonFilterField
            key={`target ${view.target}`}
            id="audit-target"
            name="target"
            label="Target"
            value={view.target}
            picked={answer.picked.target}
            className={CONTROL}
            labelClassName={LABEL}
          />
          <div>
            <label htmlFor="audit-reason" className={LABEL}>
              Reason
            </label>
            <input
              id="audit-reason"
              name="reason"
              type="search"
              list="audit-reason-choices"
              defaultValue={view.reason}
              placeholder="A reason or any words in it"
              className={CONTROL}
            />
            <datalist id="audit-reason-choices">
              {reasons.map((r) => (
                <option key={r} value={r} />
              ))}
            </datalist>
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
              <IntentLink
                href="/audit"
                className="whitespace-nowrap text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300"
              >
                Clear filters
              </IntentLink>
            ) : null}
          </div>
        </form>
      </search>

      {badRange ? (
        <p
          role="status"
          className="mb-3 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200"
        >
          The “From” day ({view.from}) is after the “To” day ({view.to}), so no event can match.
          Swap them or clear one.
        </p>
      ) : null}

      {answer.kind === "too-broad" ? (
        <TooBroad broad={answer.broad} view={view} />
      ) : (
        <AuditEvents answer={answer} pageHref={pageHref} view={view} />
      )}
    </main>
  );
}

/** The page of events a view answers, with its pager. */
function AuditEvents({
  answer: { rows, total: counted, prev, next, start },
  view,
  pageHref,
}: {
  answer: AuditEventsPage;
  view: AuditView;
  pageHref: (cursor: string | null) => string;
}) {
  const total = counted.n;
  const totalText = counted.capped ? `${formatCount(total)}+` : formatCount(total);
  return (
    <>
      <AuditTable
        rows={rows}
        filtered={isFiltered(view)}
        caption={`${formatRange(start, rows.length, totalText)} audit events, newest first`}
      />

      {total === 0 ? null : (
        <DataTablePagination
          summary={`${formatRange(start, rows.length, totalText)} events`}
          links={{
            first: prev ? pageHref(null) : null,
            previous: prev ? pageHref(prev) : null,
            next: next ? pageHref(next) : null,
            last: next ? pageHref("last") : null,
          }}
          pageSize={
            <DataTablePageSize
              value={view.size}
              options={AUDIT_PAGE_SIZES.map((size) => ({
                size,
                href: `/audit${auditViewQuery({ ...view, size, cursor: null })}`,
              }))}
            />
          }
        />
      )}
    </>
  );
}
