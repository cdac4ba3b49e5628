"use client";

import { createColumnHelper } from "@tanstack/react-table";
import type { ColumnLayout } from "@/components/data-table/features";
import { dataTableFeatures } from "@/components/data-table/features";
import { IntentLink } from "@/components/intent-link";
import { AccessEndsBadge } from "@/components/local-time";
import { Checkbox } from "@/components/ui/checkbox";
import { StatusBadge } from "@/components/ui/status-badge";
import { formatDate, invitationText } from "@/lib/format";
import type { MenuRules, Verb } from "@/lib/users/lifecycle";
import type { UserRow } from "@/lib/users/queries";
import { RETENTION_WARNING_DAYS } from "@/model/limits";
import type { Person } from "@/model/permissions";
import type { Tab } from "@/model/statuses";
import type { HideableColumn, SortColumn } from "@/model/view";
import { actionsForRow, noActionsReason } from "./available-actions";
import { RowActionsMenu } from "./row-actions-menu";
import { rowLabel } from "./row-label";

export const userTableFeatures = dataTableFeatures;
const column = createColumnHelper<typeof userTableFeatures, UserRow>();

/** Column id → the URL's sort key, for the columns the server can sort on. */
export const SORTABLE: Partial<Record<string, SortColumn>> = {
  name: "name",
  email: "email",
  role: "role",
  lastSignIn: "lastSignIn",
  statusChanged: "statusChanged",
  created: "created",
};

export const COLUMN_LABELS: Record<HideableColumn, string> = {
  email: "Email",
  role: "Role",
  status: "Status",
  previousStatus: "Previous status",
  lastSignIn: "Last sign-in",
  owned: "Owned records",
  statusChanged: "Status changed",
  created: "Created",
};

/** Columns a tab never shows: every archived user is "Archived", so it shows where they came from. */
export function columnsOffIn(tab: Tab): readonly HideableColumn[] {
  return tab === "archived" ? ["status"] : ["previousStatus"];
}

/** Widths per column, and where each cell goes when rows become cards. */
export const USER_COLUMN_LAYOUT: Record<string, ColumnLayout> = {
  select: { className: "w-10 pr-0 max-sm:w-7", card: "select" },
  name: { className: "min-w-40", card: "title" },
  email: { card: "subtitle" },
  role: { className: "w-24", card: "hidden" },
  status: { className: "w-28", card: "badge" },
  previousStatus: { className: "w-32", card: "badge" },
  lastSignIn: { className: "w-32", card: "hidden" },
  owned: { className: "w-24 text-right", card: "hidden" },
  statusChanged: { className: "w-44", card: "hidden" },
  created: { className: "w-32", card: "hidden" },
  actions: { className: "w-12 pl-0 text-right", card: "menu" },
};

const DAY_MS = 86_400_000;

/** The days left before the retention policy deletes an archived user, within its warning week. */
function daysToDeletion(row: UserRow, retentionDays: number | null): number | null {
  if (retentionDays === null || row.status !== "archived" || !row.statusChangedAt) return null;
  const left = Math.ceil(
    (new Date(row.statusChangedAt).getTime() + retentionDays * DAY_MS - Date.now()) / DAY_MS,
  );
  return left <= RETENTION_WARNING_DAYS ? Math.max(0, left) : null;
}

function DeletionNotice({ days }: { days: number | null }) {
  if (days === null) return null;
  return (
    <span className="mt-0.5 inline-block rounded bg-red-50 px-1.5 text-xs font-medium text-red-800 dark:bg-red-950 dark:text-red-200">
      {days === 0
        ? "Deleted at the next run"
        : `Deleted in ${days === 1 ? "1 day" : `${days} days`}`}
    </span>
  );
}

export function getUserColumns({
  rules,
  actor,
  onAction,
  retentionDays = null,
}: {
  rules: MenuRules;
  actor: Person;
  onAction: (row: UserRow, action: Verb, trigger: HTMLElement | null) => void;
  /** The retention policy's days, when it is on: archived users due soon say so. */
  retentionDays?: number | null;
}) {
  return column.columns([
    column.display({
      id: "select",
      header: ({ table }) => (
        <Checkbox
          aria-label="Select all on this page"
          checked={table.getIsAllPageRowsSelected()}
          indeterminate={table.getIsSomePageRowsSelected() && !table.getIsAllPageRowsSelected()}
          onChange={table.getToggleAllPageRowsSelectedHandler()}
        />
      ),
      cell: ({ row, table }) => (
        <Checkbox
          aria-label={`Select ${rowLabel(row.original, table.options.data)}`}
          checked={row.getIsSelected()}
          onChange={row.getToggleSelectedHandler()}
        />
      ),
    }),
    column.accessor("name", {
      id: "name",
      header: "Name",
      cell: (info) => (
        <>
          <IntentLink
            href={`/users/${info.row.original.id}`}
            className="block max-w-56 truncate font-medium text-zinc-900 hover:text-indigo-700 hover:underline max-sm:max-w-full dark:text-zinc-100 dark:hover:text-indigo-300"
          >
            {info.getValue()}
          </IntentLink>
          {info.row.original.requestMessage ? (
            <p className="max-w-56 truncate text-xs text-zinc-600 max-sm:max-w-full dark:text-zinc-400">
              <span className="sr-only">Message: </span>
              {info.row.original.requestMessage}
            </p>
          ) : null}
          <DeletionNotice days={daysToDeletion(info.row.original, retentionDays)} />
        </>
      ),
    }),
    column.accessor("email", {
      id: "email",
      header: COLUMN_LABELS.email,
      cell: (info) => (
        <span className="block max-w-64 truncate text-zinc-600 max-sm:max-w-full dark:text-zinc-400">
          {info.getValue()}
        </span>
      ),
    }),
    column.accessor("role", {
      id: "role",
      header: COLUMN_LABELS.role,
      cell: (info) => <span className="capitalize">{info.getValue()}</span>,
    }),
    column.accessor("status", {
      id: "status",
      header: COLUMN_LABELS.status,
      cell: (info) => {
        const { invitationSentAt: sent, invitationExpiresAt: expires } = info.row.original;
        const endsAt = info.row.original.accessEndsAt;
        return (
          <span className="flex flex-col items-start gap-0.5 leading-4">
            <StatusBadge status={info.getValue()} />
            {endsAt ? <AccessEndsBadge at={endsAt} /> : null}
            {sent && expires ? (
              <span className="text-xs text-zinc-500 dark:text-zinc-400">
                {invitationText(sent, expires)}
              </span>
            ) : null}
          </span>
        );
      },
    }),
    column.accessor("previousStatus", {
      id: "previousStatus",
      header: COLUMN_LABELS.previousStatus,
      cell: (info) => {
        const previous = info.getValue();
        return previous ? (
          <StatusBadge status={previous} />
        ) : (
          <span className="text-zinc-400 dark:text-zinc-600">—</span>
        );
      },
    }),
    column.accessor("lastSignInAt", {
      id: "lastSignIn",
      header: COLUMN_LABELS.lastSignIn,
      cell: (info) => {
        const value = info.getValue();
        return value ? (
          formatDate(value)
        ) : (
          <span className="text-zinc-500 dark:text-zinc-400">Never</span>
        );
      },
    }),
    column.accessor("ownedRecords", {
      id: "owned",
      header: COLUMN_LABELS.owned,
      cell: (info) => {
        const n = info.getValue();
        return (
          <span
            className={n > 0 ? "tabular-nums" : "tabular-nums text-zinc-400 dark:text-zinc-600"}
          >
            {n}
          </span>
        );
      },
    }),
    column.accessor("statusChangedAt", {
      id: "statusChanged",
      header: COLUMN_LABELS.statusChanged,
      cell: (info) => {
        const at = info.getValue();
        if (!at) return <span className="text-zinc-400 dark:text-zinc-600">—</span>;
        const by = info.row.original.statusChangedByName;
        const reason = info.row.original.statusReason;
        return (
          <span className="block leading-4">
            <span className="block">{formatDate(at)}</span>
            {by ? (
              <span className="block max-w-40 truncate text-xs text-zinc-500 dark:text-zinc-400">
                by {by}
              </span>
            ) : null}
            {reason ? (
              <span
                className="block max-w-40 truncate text-xs text-zinc-500 dark:text-zinc-400"
                title={reason}
              >
                <span className="sr-only">Reason: </span>
                {reason}
              </span>
            ) : null}
          </span>
        );
      },
    }),
    column.accessor("createdAt", {
      id: "created",
      header: COLUMN_LABELS.created,
      cell: (info) => formatDate(info.getValue()),
    }),
    column.display({
      id: "actions",
      header: () => <span className="sr-only">Actions</span>,
      cell: ({ row, table }) => (
        <RowActionsMenu
          name={rowLabel(row.original, table.options.data)}
          actions={actionsForRow(rules, actor, row.original)}
          noActionsReason={noActionsReason(actor, row.original)}
          onAction={(action, trigger) => onAction(row.original, action, trigger)}
        />
      ),
    }),
  ]);
}
