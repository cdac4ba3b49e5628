import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { jsonRows, regexLiteral } from "@/lib/users/sql";

const REDACTED = "a former member";

/** A case-insensitive pattern for a person's email or name (any spacing between its words). */
function personPattern(p: { name: string; email: string }): string | null {
  const words = [p.email.trim(), p.name.trim()]
    // Under 3 letters it would match inside ordinary words.
    .filter((w) => w.length >= 3)
    .map((w) => w.split(/\s+/).map(regexLiteral).join("\\s+"));
  return words.length ? words.join("|") : null;
}

/**
 * Erasure of what admins typed: every audit reason that names one of these people (email or
 * name) has it replaced, loses its key (its chained digest then proves nothing about the old
 * text), and the redaction itself is recorded as a chained `redact-reason` event per person and
 * reason. One statement, whatever the number of people and reasons.
 */
export async function redactReasons(
  tx: Executor,
  args: { people: { id: string; name: string; email: string }[]; actorId: string; now: Date },
): Promise<void> {
  const people = args.people.flatMap((p) => {
    const pattern = personPattern(p);
    return pattern ? [{ id: p.id, pattern }] : [];
  });
  if (people.length === 0) return;
  const all = people.map((p) => `(?:${p.pattern})`).join("|");
  const at = args.now.toISOString();
  await tx.execute(sql`
    with p as (select * from jsonb_to_recordset(${jsonRows(people)}) as p(id uuid, pattern text)),
    hit as (
      select r.id as reason_id, p.id as user_id
      from audit_reasons r join p on r.text ~* p.pattern
      where r.text is not null),
    redacted as (
      update audit_reasons r
      set text = regexp_replace(r.text, ${all}, ${REDACTED}, 'gi'), key = null,
        redacted_at = ${at}::timestamptz
      where r.id in (select reason_id from hit)
      returning r.id)
    insert into audit_events (at, actor_id, action, target_id, reason_id)
    select ${at}::timestamptz, ${args.actorId}::uuid, 'redact-reason', hit.user_id, hit.reason_id
    from hit join redacted on redacted.id = hit.reason_id
    order by hit.reason_id, hit.user_id`);
}
