import { DataTableSkeleton } from "@/components/data-table/skeleton";

export function UsersTableSkeleton({ rows }: { rows: number }) {
  return <DataTableSkeleton rows={rows} columns={6} label="Loading users" />;
}
