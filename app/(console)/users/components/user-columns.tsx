"use client";

import { createColumnHelper } from "@tanstack/react-table";
import Link from "next/link";
import type { ColumnLayout } from "@/components/data-table/features";
import { dataTableFeatures } from "@/components/data-table/features";
import { Checkbox } from "@/components/ui/checkbox";
import { StatusBadge } from "@/components/ui/status-badge";
import type { HideableColumn, SortColumn, Tab } from "@/lib/constants";
import { formatDate, invitationText } from "@/lib/format";
import type { LifecycleAction, MenuRules } from "@/lib/users/lifecycle";
import type { Person } from "@/lib/users/permissions";
import type { UserRow } from "@/lib/users/queries";
import { actionsForRow, noActionsReason } from "./available-actions";
import { RowActionsMenu } from "./row-actions-menu";

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

export function getUserColumns({
  rules,
  actor,
  onAction,
}: {
  rules: MenuRules;
  actor: Person;
  onAction: (row: UserRow, action: LifecycleAction, trigger: HTMLElement | null) => void;
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
      cell: ({ row }) => (
        <Checkbox
          aria-label={`Select ${row.original.name}`}
          checked={row.getIsSelected()}
          onChange={row.getToggleSelectedHandler()}
        />
      ),
    }),
    column.accessor("name", {
      id: "name",
      header: "Name",
      cell: (info) => (
        <Link
          href={`/users/${info.row.original.id}`}
          className="block max-w-56 truncate font-medium text-zinc-900 hover:text-indigo-700 hover:underline max-sm:max-w-full dark:text-zinc-100 dark:hover:text-indigo-300"
        >
          {info.getValue()}
        </Link>
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
        return (
          <span className="flex flex-col items-start gap-0.5 leading-4">
            <StatusBadge status={info.getValue()} />
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
        return (
          <span className="block leading-4">
            <span className="block">{formatDate(at)}</span>
            {by ? (
              <span className="block max-w-40 truncate text-xs text-zinc-500 dark:text-zinc-400">
                by {by}
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
      cell: ({ row }) => (
        <RowActionsMenu
          name={row.original.name}
          actions={actionsForRow(rules, actor, row.original)}
          noActionsReason={noActionsReason(actor, row.original)}
          onAction={(action, trigger) => onAction(row.original, action, trigger)}
        />
      ),
    }),
  ]);
}
