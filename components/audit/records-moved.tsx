import type { AuditRow } from "@/lib/audit/queries";
import { plural } from "@/lib/format";
import { RECORD_KINDS, type RecordKind } from "@/model/roles";
import { PersonLink } from "./person-link";

export function recordCount(kind: RecordKind, n: number): string {
  return plural(n, kind);
}

/** "3 projects, 2 automations to Ned Newowner" */
export function RecordsMoved({ moved }: { moved: AuditRow["recordsMoved"] }) {
  if (!moved) return null;
  const parts = RECORD_KINDS.filter((k) => (moved.counts[k] ?? 0) > 0).map((k) =>
    recordCount(k, moved.counts[k] ?? 0),
  );
  if (parts.length === 0) return null;
  return (
    <span>
      {parts.join(", ")}
      {moved.newOwner ? (
        <>
          {" "}
          to <PersonLink person={moved.newOwner} />
        </>
      ) : null}
    </span>
  );
}
