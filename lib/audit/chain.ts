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
 * first broken link of each kind: an event edited, removed, inserted with the trigger off, or a
 * reason rewritten without a recorded redaction. Empty `breaks`: the history is as written.
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
          (r.key is not null and sha256(r.key || convert_to(coalesce(r.text, ''), 'UTF8'))
             is distinct from e.reason_digest)
          or (r.key is null and not exists (
             select 1 from audit_events x where x.action = 'redact-reason' and x.reason_id = r.id)))
        order by e.chain_seq
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
