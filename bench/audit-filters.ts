/**
 * Issue 20 §1: the audit log's filters at scale, with the ordered indexes as they were (key only)
 * and as migration 0017 makes them (INCLUDE actor_id, target_id), side by side in one run, ABBA.
 * A name that matches more than 100 people is answered by the person picker (how many matched,
 * the first 20 by name: one people lookup); a picked person is a filter by id (`id:<uuid>`), timed
 * for the busiest actor and target and for the first person the picker offers for "ava".
 * On the database of DATABASE_URL (a bench workspace: `bench/run.ts --prepare`), which it gives
 * both sets of indexes once (the old names and `*_people_idx`); each timed call runs in a
 * transaction that drops the other set and is rolled back, so nothing changes.
 *
 *   DATABASE_URL=postgres://…/roster_bench nice flock /tmp/roster-heavy.lock \
 *     npx tsx bench/audit-filters.ts [--rounds 8]
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { openDatabase, queryRows } from "@/db/client";
import { auditLog } from "@/lib/audit/queries";
import { AUDIT_DEFAULTS, type AuditView, personIdFilter } from "@/lib/audit/view";
import { loadAverage } from "./fixtures";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "8" } } });
const url = process.env.DATABASE_URL;
if (!url) throw new Error("audit-filters: set DATABASE_URL to a seeded bench database");
const h = await openDatabase({ url, poolSize: 2 });
const db = h.db;
const rounds = Number(values.rounds);
const cpu = os.cpus();
console.log(`audit-filters — ${new Date().toISOString()}, ${cpu.length} × ${cpu[0]?.model.trim()}`);
console.log(`load ${loadAverage()}`);

// Both sets of indexes: the key-only ones (as before 0017) and the ones with the people included.
const [key] = await queryRows<{ include: boolean }>(
  db,
  sql`select indexdef like '%INCLUDE%' as include from pg_indexes where indexname = 'audit_at_idx'`,
);
const keyOnly = key?.include ? "_keyonly_idx" : "_idx";
const withPeople = key?.include ? "_idx" : "_people_idx";
if (key?.include) {
  await db.execute(sql`create index if not exists audit_at_keyonly_idx on audit_events (at, id)`);
  await db.execute(
    sql`create index if not exists audit_action_at_keyonly_idx on audit_events (action, at, id)`,
  );
} else {
  await db.execute(
    sql`create index if not exists audit_at_people_idx on audit_events (at, id) include (actor_id, target_id)`,
  );
  await db.execute(
    sql`create index if not exists audit_action_at_people_idx on audit_events (action, at, id) include (actor_id, target_id)`,
  );
}
await db.execute(sql`analyze audit_events`);

const [{ n: events } = { n: 0 }] = await queryRows<{ n: number }>(
  db,
  sql`select count(*)::int as n from audit_events`,
);
const [{ n: people } = { n: 0 }] = await queryRows<{ n: number }>(
  db,
  sql`select count(*)::int as n from users`,
);
console.log(`${people.toLocaleString("en-US")} users, ${events.toLocaleString("en-US")} events`);

// The people the by-id filters name: whoever has the most events on each side (one scan, once),
// and the first person the picker offers for "ava".
const busiest = async (side: "actor_id" | "target_id") => {
  const [row] = await queryRows<{ id: string; n: number }>(
    db,
    sql`select ${sql.raw(side)} as id, count(*)::int as n from audit_events
      where ${sql.raw(side)} is not null group by 1 order by 2 desc limit 1`,
  );
  if (!row) throw new Error(`audit-filters: no events with an ${side}`);
  console.log(`busiest ${side}: ${row.id}, ${row.n.toLocaleString("en-US")} events`);
  return row.id;
};
const busyActor = await busiest("actor_id");
const busyTarget = await busiest("target_id");
const ava = await auditLog(db, { ...AUDIT_DEFAULTS, actor: "ava" });
const avaFirst = ava.kind === "too-broad" ? ava.broad[0]?.people[0]?.id : undefined;
const avaTargets = await auditLog(db, { ...AUDIT_DEFAULTS, target: "ava" });
const avaTarget = avaTargets.kind === "too-broad" ? avaTargets.broad[0]?.people[0]?.id : undefined;

const VIEWS: Record<string, Partial<AuditView>> = {
  all: {},
  "action archive": { action: "archive" },
  "actor ava": { actor: "ava" },
  "actor ava + archive": { actor: "ava", action: "archive" },
  "target ava": { target: "ava" },
  "actor admin@roster.test": { actor: "admin@roster.test" },
  "dates (one month)": { from: "2026-01-01", to: "2026-01-31" },
  "actor id: busiest": { actor: personIdFilter(busyActor) },
  "actor id: busiest + archive": { actor: personIdFilter(busyActor), action: "archive" },
  "target id: busiest": { target: personIdFilter(busyTarget) },
  ...(avaFirst ? { "actor id: ava's first pick": { actor: personIdFilter(avaFirst) } } : {}),
  ...(avaTarget ? { "target id: ava's first pick": { target: personIdFilter(avaTarget) } } : {}),
};
const SETS = { "key only": keyOnly, "with people": withPeople } as const;
type IndexSet = keyof typeof SETS;

/** What a view answered: its capped total, or how many people made it too broad. */
type Answer = string;

async function timed(set: IndexSet, view: Partial<AuditView>): Promise<{ ms: number; n: Answer }> {
  const other = set === "key only" ? withPeople : keyOnly;
  let out = { ms: 0, n: "" };
  await db
    .transaction(async (tx) => {
      await tx.execute(sql.raw(`drop index audit_at${other}`));
      await tx.execute(sql.raw(`drop index audit_action_at${other}`));
      const t = performance.now();
      const r = await auditLog(tx, { ...AUDIT_DEFAULTS, ...view });
      const ms = performance.now() - t;
      const people = (b: { matched: { n: number; capped: boolean } }) =>
        `${b.matched.capped ? ">" : ""}${b.matched.n}`;
      out = {
        ms,
        n:
          r.kind === "events"
            ? String(r.total.n)
            : `too broad (${r.broad.map((b) => `${b.side} ${people(b)} people`).join(", ")})`,
      };
      throw new Error("rollback");
    })
    .catch((error: Error) => {
      if (error.message !== "rollback") throw error;
    });
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
console.log(
  "view: median ms of auditLog (page + capped count, or the picker), key only → with people; total",
);
for (const [name, view] of Object.entries(VIEWS)) {
  const times: Record<IndexSet, number[]> = { "key only": [], "with people": [] };
  const totals = new Set<Answer>();
  for (let r = 0; r < rounds; r++) {
    const order: IndexSet[] =
      r % 2 === 0 ? ["key only", "with people"] : ["with people", "key only"];
    for (const set of order) {
      const { ms, n } = await timed(set, view);
      times[set].push(ms);
      totals.add(n);
    }
  }
  const a = median(times["key only"]);
  const b = median(times["with people"]);
  console.log(
    `  ${name.padEnd(26)} ${a.toFixed(1).padStart(7)} → ${b.toFixed(1).padStart(7)} (${(b / a).toFixed(2)}×); total ${[...totals].join(" / ")}`,
  );
}
console.log(`load ${loadAverage()}`);
await h.close();
