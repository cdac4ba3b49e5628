"use client";

import { createColumnHelper, useTable } from "@tanstack/react-table";
import { ScrollText } from "lucide-react";
import { PersonLink } from "@/components/audit/person-link";
import { RecordsMoved } from "@/components/audit/records-moved";
import { StatusChange } from "@/components/audit/status-change";
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
    cell: (info) => <PersonLink person={info.getValue()} />,
  }),
  column.accessor("action", {
    id: "action",
    header: "Action",
    cell: (info) => auditActionLabel(info.getValue()),
  }),
  column.accessor("target", {
    id: "target",
    header: "Target",
    cell: (info) => <PersonLink person={info.getValue()} />,
  }),
  column.display({
    id: "status",
    header: "Status",
    cell: ({ row }) => <StatusChange from={row.original.fromStatus} to={row.original.toStatus} />,
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

/** On a phone an event is a card: what happened, to whom, the status change, and when. */
const LAYOUT: Record<string, ColumnLayout> = {
  time: { className: "py-2.5 tabular-nums", card: "meta" },
  actor: { className: "py-2.5", card: "hidden" },
  action: { className: "py-2.5 max-sm:font-medium", card: "title" },
  target: { className: "py-2.5", card: "subtitle" },
  status: { className: "py-2.5", card: "badge" },
  recordsMoved: { className: "py-2.5", wrap: true, card: "hidden" },
  reason: { className: "min-w-48 max-w-md break-words py-2.5", wrap: true, card: "hidden" },
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
