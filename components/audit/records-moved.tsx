import type { AuditRow } from "@/lib/audit/queries";
import { RECORD_KINDS, type RecordKind } from "@/lib/constants";
import { PersonLink } from "./person-link";

const KIND_NAMES: Record<RecordKind, [string, string]> = {
  project: ["project", "projects"],
  automation: ["automation", "automations"],
};

export function recordCount(kind: RecordKind, n: number): string {
  const [one, many] = KIND_NAMES[kind];
  return `${n} ${n === 1 ? one : many}`;
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
