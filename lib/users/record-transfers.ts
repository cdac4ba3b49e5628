import { type SQL, sql } from "drizzle-orm";
import { type Executor, queryRows } from "@/db/client";
import { RECORD_KINDS, type RecordKind, type RecordsMoved } from "@/db/schema";
import { uuidArray } from "@/db/sql";
import { LIFECYCLE, VERB_NAMES, type Verb } from "./lifecycle";
import { RECORD_TABLES } from "./ownership";

/**
 * Moves every record of these owners to the new owner AND remembers, per record, whose it was:
 * one statement per kind (UPDATE … RETURNING the old owner, feeding an INSERT … SELECT), so an
 * Undo can give the records back.
 */
export async function moveRecordsRemembered(
  tx: Executor,
  args: {
    kind: RecordKind;
    /** The owners' ids as an SQL array (the plan's changed users). */
    owners: SQL;
    newOwnerId: string;
    changeId: string;
    action: Verb;
    now: Date;
  },
): Promise<void> {
  const table = RECORD_TABLES[args.kind];
  await tx.execute(sql`
    with old as (
      select id, owner_id from ${table} where owner_id = any(${args.owners})
    ), moved as (
      update ${table} as r set owner_id = ${args.newOwnerId}::uuid
      from old where r.id = old.id
      returning r.id, old.owner_id
    )
    insert into record_transfers (change_id, action, kind, record_id, from_owner_id, to_owner_id, at)
    select ${args.changeId}::uuid, ${args.action}, ${args.kind}, moved.id, moved.owner_id,
      ${args.newOwnerId}::uuid, ${args.now.toISOString()}::timestamptz
    from moved`);
}

export type Returned = {
  /** Per user given records back: what the audit event of their Undo says moved. */
  moved: Map<string, RecordsMoved>;
  returned: number;
  /** Records of theirs that moved on since (to someone other than the transfer's new owner). */
  stayed: number;
};

/**
 * An Undo of `undoOf`: the records it moved away from these users, that still sit with the
 * owner it gave them to, go back. Only a change made by an action whose inverse is `action`
 * qualifies (archive ← restore): the definitions say what undoes what.
 */
export async function returnRecords(
  tx: Executor,
  args: { undoOf: string; action: Verb; userIds: readonly string[]; now: Date },
): Promise<Returned> {
  const undone = VERB_NAMES.filter((a) => LIFECYCLE[a].inverse === args.action);
  const result: Returned = { moved: new Map(), returned: 0, stayed: 0 };
  if (undone.length === 0 || args.userIds.length === 0) return result;
  const users = uuidArray(args.userIds);
  const actions = sql`${`{${undone.join(",")}}`}::text[]`;
  const at = sql`${args.now.toISOString()}::timestamptz`;
  for (const kind of RECORD_KINDS) {
    const rows = await queryRows<{ user_id: string; to_owner_id: string; n: number }>(
      tx,
      sql`
      with back as (
        update ${RECORD_TABLES[kind]} as r set owner_id = t.from_owner_id
        from record_transfers t
        where t.change_id = ${args.undoOf}::uuid and t.kind = ${kind} and t.undone_at is null
          and t.action = any(${actions}) and t.from_owner_id = any(${users})
          and r.id = t.record_id and r.owner_id = t.to_owner_id
        returning t.id
      ), marked as (
        update record_transfers t set undone_at = ${at}
        from back where t.id = back.id
        returning t.from_owner_id, t.to_owner_id
      )
      select from_owner_id as user_id, to_owner_id, count(*)::int as n from marked group by 1, 2`,
    );
    for (const row of rows) {
      const entry = result.moved.get(row.user_id) ?? { newOwnerId: row.user_id };
      entry[kind] = (entry[kind] ?? 0) + Number(row.n);
      result.moved.set(row.user_id, entry);
      result.returned += Number(row.n);
    }
  }
  const [left] = await queryRows<{ n: number }>(
    tx,
    sql`select count(*)::int as n from record_transfers
        where change_id = ${args.undoOf}::uuid and undone_at is null
          and action = any(${actions}) and from_owner_id = any(${users})`,
  );
  result.stayed = Number(left?.n ?? 0);
  return result;
}
