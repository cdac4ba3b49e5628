"use client";

import { createColumnHelper, useTable } from "@tanstack/react-table";
import { ScrollText } from "lucide-react";
import { PersonLink } from "@/components/audit/person-link";
import { RecordsMoved } from "@/components/audit/records-moved";
import { EventChange } from "@/components/audit/role-change";
import { DataTable } from "@/components/data-table/data-table";
import { DataTableEmpty } from "@/components/data-table/empty-state";
import { type ColumnLayout, dataTableFeatures } from "@/components/data-table/features";
import type { AuditRow } from "@/lib/audit/queries";
import { auditActionLabel } from "@/lib/audit/view";
import { formatDateTime } from "@/lib/format";

const column = createColumnHelper<typeof dataTableFeatures, AuditRow>();

const columns = column.columns([
  column.accessor("at", {
    id: "time",
    header: "Time",
    cell: (info) => <time dateTime={info.getValue()}>{formatDateTime(info.getValue())}</time>,
  }),
  column.accessor("actor", {
    id: "actor",
    header: "Actor",
    cell: (info) => <PersonLink person={info.getValue()} side="actor" />,
  }),
  column.accessor("action", {
    id: "action",
    header: "Action",
    cell: (info) => auditActionLabel(info.getValue()),
  }),
  column.accessor("target", {
    id: "target",
    header: "Target",
    // A setting's change has no target user: the setting is what changed.
    cell: ({ row, getValue }) =>
      row.original.setting ? (
        <span>
          {row.original.setting.name}: {row.original.setting.from} → {row.original.setting.to}
        </span>
      ) : row.original.subject ? (
        <span>{row.original.subject}</span>
      ) : (
        <PersonLink person={getValue()} side="target" />
      ),
  }),
  column.display({
    id: "status",
    header: "Status",
    cell: ({ row }) => (
      <EventChange
        from={row.original.fromStatus}
        to={row.original.toStatus}
        roles={row.original.roleChange}
        accessEnd={row.original.accessEnd}
      />
    ),
  }),
  column.accessor("recordsMoved", {
    id: "recordsMoved",
    header: "Records moved",
    cell: (info) => <RecordsMoved moved={info.getValue()} />,
  }),
  column.accessor("reason", {
    id: "reason",
    header: "Reason",
    cell: (info) => info.getValue(),
  }),
]);

/**
 * On a phone an event is a card: what happened, to whom, the status change and when; then who
 * did it, the records that moved and the reason, each on a labelled line where there is one.
 */
const LAYOUT: Record<string, ColumnLayout> = {
  time: { className: "py-2.5 tabular-nums", card: "meta" },
  actor: { className: "py-2.5", card: "detail", cardLabel: "By" },
  action: { className: "py-2.5 max-sm:font-medium", card: "title" },
  // A setting's change stands where the target would: a policy in words can be long, so it wraps.
  target: { className: "max-w-md break-words py-2.5", wrap: true, card: "subtitle" },
  // A role or an access end date beside the status can be long: it wraps (on a phone too).
  status: { className: "py-2.5", wrap: true, card: "badge" },
  recordsMoved: { className: "py-2.5", wrap: true, card: "detail", cardLabel: "Records moved" },
  reason: {
    className: "min-w-48 max-w-md break-words py-2.5",
    wrap: true,
    card: "detail",
    cardLabel: "Reason",
  },
};

export function AuditTable({
  rows,
  caption,
  filtered,
}: {
  rows: AuditRow[];
  caption: string;
  filtered: boolean;
}) {
  const table = useTable({
    features: dataTableFeatures,
    columns,
    data: rows,
    getRowId: (row) => String(row.id),
    enableRowSelection: false,
  });
  return (
    <DataTable
      table={table}
      label="Audit events"
      caption={caption}
      layout={LAYOUT}
      empty={
        <DataTableEmpty
          icon={ScrollText}
          title={filtered ? "No events match these filters." : "Nothing has happened yet."}
        />
      }
    />
  );
}
