"use client";

import {
  columnVisibilityFeature,
  createColumnHelper,
  rowSelectionFeature,
  tableFeatures,
} from "@tanstack/react-table";
import Link from "next/link";
import { Checkbox } from "@/components/ui/checkbox";
import { StatusBadge } from "@/components/ui/status-badge";
import { formatDate } from "@/lib/format";
import type { LifecycleAction } from "@/lib/users/lifecycle";
import type { Person } from "@/lib/users/permissions";
import type { UserRow } from "@/lib/users/queries";
import type { HideableColumn, SortColumn } from "@/lib/users/view";
import { actionsForRow, noActionsReason } from "./available-actions";
import { RowActionsMenu } from "./row-actions-menu";

export const userTableFeatures = tableFeatures({ rowSelectionFeature, columnVisibilityFeature });
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
  lastSignIn: "Last sign-in",
  owned: "Owned records",
  statusChanged: "Status changed",
  created: "Created",
};

/** Widths and alignment per column, so rows keep one height and the layout never jumps. */
export const COLUMN_CLASS: Record<string, string> = {
  select: "w-10 pr-0",
  name: "min-w-40",
  email: "",
  role: "w-24",
  status: "w-24",
  lastSignIn: "w-32",
  owned: "w-24 text-right",
  statusChanged: "w-44",
  created: "w-32",
  actions: "w-12 pl-0 text-right",
};

export function getUserColumns({
  actor,
  onAction,
}: {
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
          className="block max-w-56 truncate font-medium text-zinc-900 hover:text-indigo-700 hover:underline dark:text-zinc-100 dark:hover:text-indigo-300"
        >
          {info.getValue()}
        </Link>
      ),
    }),
    column.accessor("email", {
      id: "email",
      header: COLUMN_LABELS.email,
      cell: (info) => (
        <span className="block max-w-64 truncate text-zinc-600 dark:text-zinc-400">
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
      cell: (info) => <StatusBadge status={info.getValue()} />,
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
          actions={actionsForRow(actor, row.original)}
          noActionsReason={noActionsReason(actor, row.original)}
          onAction={(action, trigger) => onAction(row.original, action, trigger)}
        />
      ),
    }),
  ]);
}
