import { sql } from "drizzle-orm";
import { type Executor, queryRows } from "@/db/client";

type ChainBreak = {
  /** The first event (in chain order) that doesn't verify. */
  eventId: number;
  chainSeq: number | null;
  problem: string;
};

export type ChainReport = {
  events: number;
  /** The hash of the last event: keep it elsewhere to detect a cut tail later. */
  headHash: string | null;
  breaks: ChainBreak[];
};

type Row = { id: string; chain_seq: string | null; n: string; problem: string };

/**
 * Recomputes the audit hash chain in the database (one pass, in chain order) and reports the
 * first broken link of each kind: an event edited, removed, inserted with the trigger off, a
 * reason rewritten without a recorded redaction, or a redaction outside an erasure. Empty `breaks`: the history is as written.
 */
export async function verifyAuditChain(db: Executor): Promise<ChainReport> {
  const [firstBroken] = await queryRows<Row>(
    db,
    sql`with c as (
          select e.id, e.chain_seq, e.hash,
            row_number() over w as n,
            audit_event_hash(coalesce(lag(e.hash) over w, audit_chain_genesis()), e) as expected
          from audit_events e
          window w as (order by e.chain_seq nulls first, e.id))
        select id::text, chain_seq::text, n::text,
          case
            when chain_seq is null then 'not chained: written with the audit trigger disabled'
            when chain_seq > n then 'events before it are missing (deleted)'
            when chain_seq < n then 'chain position repeated'
            else 'its contents or hash differ from what was chained (edited)'
          end as problem
        from c
        where chain_seq is null or chain_seq <> n or hash is distinct from expected
        order by c.n
        limit 1`,
  );
  const [summary] = await queryRows<{
    events: string;
    last_seq: string | null;
    last_hash: string | null;
    head_seq: string;
    head_hash: string;
  }>(
    db,
    sql`select (select count(*) from audit_events)::text as events,
          (select e.chain_seq::text from audit_events e order by e.chain_seq desc nulls last limit 1) as last_seq,
          (select encode(e.hash, 'hex') from audit_events e order by e.chain_seq desc nulls last limit 1) as last_hash,
          h.seq::text as head_seq, encode(h.hash, 'hex') as head_hash
        from audit_chain_head h where h.id = 1`,
  );
  const [reason] = await queryRows<Row>(
    db,
    sql`select e.id::text, e.chain_seq::text, '0' as n,
          case when r.key is null then 'its reason was removed without a recorded redaction'
               else 'its reason text differs from what was chained (edited)' end as problem
        from audit_events e join audit_reasons r on r.id = e.reason_id
        where e.action <> 'redact-reason' and (
          -- The key is exactly 32 bytes (audit_random_key): with any other length, bytes could
          -- have moved between key and text and left sha256(key || text) as it was.
          (r.key is not null and (octet_length(r.key) <> 32
             or sha256(r.key || convert_to(coalesce(r.text, ''), 'UTF8')) is distinct from e.reason_digest))
          or (r.key is null and not exists (
             select 1 from audit_events x where x.action = 'redact-reason' and x.reason_id = r.id)))
        order by e.chain_seq
        limit 1`,
  );
  // A redaction belongs to an erasure: the same actor deleted that user before it (migration
  // 0013's audit_erase_reasons writes it so). Any other is forged.
  const [forged] = await queryRows<Row>(
    db,
    sql`select x.id::text, x.chain_seq::text, '0' as n,
          'a redaction (reason ' || coalesce(x.reason_id::text, 'none') || ') not part of an erasure by its actor: forged' as problem
        from audit_events x
        where x.action = 'redact-reason' and not exists (
          select 1 from audit_events d
          where d.target_id = x.target_id and d.action = 'delete'
            and d.actor_id is not distinct from x.actor_id
            and d.chain_seq < x.chain_seq)
        order by x.chain_seq
        limit 1`,
  );
  const breaks: ChainBreak[] = [];
  const toBreak = (row: Row): ChainBreak => ({
    eventId: Number(row.id),
    chainSeq: row.chain_seq === null ? null : Number(row.chain_seq),
    problem: row.problem,
  });
  if (firstBroken) breaks.push(toBreak(firstBroken));
  if (reason) breaks.push(toBreak(reason));
  if (forged) breaks.push(toBreak(forged));
  const events = Number(summary?.events ?? 0);
  if (summary && !firstBroken) {
    const lastSeq = Number(summary.last_seq ?? 0);
    if (
      Number(summary.head_seq) !== lastSeq ||
      (lastSeq > 0 && summary.head_hash !== summary.last_hash)
    ) {
      breaks.push({
        eventId: 0,
        chainSeq: lastSeq + 1,
        problem: `the last ${Number(summary.head_seq) - lastSeq} events are missing (the chain head is at ${summary.head_seq})`,
      });
    }
  }
  return { events, headHash: summary?.last_hash ?? null, breaks };
}
