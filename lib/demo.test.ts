import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import type { UserStatus } from "@/db/schema";
import { TEST_DRIVERS } from "@/db/testing";
import { useTestDatabase } from "@/db/testing-hooks";
import { LIFECYCLE, targetStatus, VERB_NAMES, type Verb } from "@/lib/users/lifecycle";
import { DEMO_PASSWORD, seedDemoIfEmpty } from "./demo";
import { verifyPassword } from "./password";

describe.each(TEST_DRIVERS)("demo data on %s", (driver) => {
  const t = useTestDatabase(driver);

  it("loads once, with every role, every status and the departing member's records", async () => {
    expect(await seedDemoIfEmpty(t.db)).toBe(true);
    expect(await seedDemoIfEmpty(t.db)).toBe(false);
    const statuses = await queryRows<{ status: string; n: number }>(
      t.db,
      sql`select status, count(*)::int as n from users group by status`,
    );
    expect(statuses.map((r) => r.status).sort()).toEqual(
      ["active", "archived", "inactive", "invited", "pending", "rejected"].sort(),
    );
    const total = statuses.reduce((s, r) => s + Number(r.n), 0);
    expect(total).toBeGreaterThanOrEqual(190);
    const owned = await queryRows<{ kind: string; n: number }>(
      t.db,
      sql`
      select 'project' as kind, count(*)::int as n from projects p join users u on u.id = p.owner_id where u.email = 'departing@roster.test'
      union all
      select 'automation', count(*)::int from automations a join users u on u.id = a.owner_id where u.email = 'departing@roster.test'`,
    );
    for (const row of owned) expect(Number(row.n)).toBeGreaterThan(0);
    const names = await queryRows<{ dupes: number }>(
      t.db,
      sql`select count(*)::int as dupes from (select name from users group by name having count(*) > 1) d`,
    );
    expect(Number(names[0]?.dupes)).toBe(0);
  });

  it("has nobody signing in or changing status before their account existed", async () => {
    await seedDemoIfEmpty(t.db);
    const [row] = await queryRows<{ n: number; early_sign_in: number; early_change: number }>(
      t.db,
      sql`select count(*)::int as n,
                 count(*) filter (where last_sign_in_at < created_at)::int as early_sign_in,
                 count(*) filter (where status_changed_at < created_at)::int as early_change
          from users`,
    );
    expect(Number(row?.n)).toBeGreaterThan(0);
    expect(Number(row?.early_sign_in)).toBe(0);
    expect(Number(row?.early_change)).toBe(0);
  });

  it("gives every user a history the lifecycle allows, signing in only while active", async () => {
    await seedDemoIfEmpty(t.db);
    type Row = {
      id: string;
      email: string;
      status: UserStatus;
      previous_status: UserStatus | null;
      created_at: string;
      last_sign_in_at: string | null;
      events: { action: string; from: UserStatus; to: UserStatus; at: string }[] | null;
    };
    const rows = await queryRows<Row>(
      t.db,
      sql`select u.id, u.email, u.status, u.previous_status, u.created_at::text, u.last_sign_in_at::text,
            (select json_agg(json_build_object('action', e.action, 'from', e.from_status, 'to', e.to_status,
                     'at', e.at::text) order by e.at, e.id)
               from audit_events e where e.target_id = u.id) as events
          from users u`,
    );
    const wrong: string[] = [];
    for (const u of rows) {
      const events = u.events ?? [];
      // People come in invited or asking to join; the demo's others start active.
      let status: UserStatus = events[0]?.from ?? u.status;
      let previous: UserStatus | null = null;
      // When they were active, from when to when: a sign-in falls inside one of these.
      const activeSpans: [string, string | null][] = [];
      let since: string | null = status === "active" ? u.created_at : null;
      for (const e of events) {
        const action = e.action as Verb;
        if (!(VERB_NAMES as readonly string[]).includes(e.action)) {
          wrong.push(`${u.email}: "${e.action}" is no lifecycle action`);
          break;
        }
        const allowed =
          e.from === status &&
          LIFECYCLE[action].from.includes(status) &&
          targetStatus(action, status, previous) === e.to;
        if (!allowed) wrong.push(`${u.email}: ${e.action} ${e.from} → ${e.to} from ${status}`);
        if (e.at < u.created_at) wrong.push(`${u.email}: ${e.action} before the account existed`);
        if (e.to === "archived") previous = status;
        if (status === "active" && e.to !== "active")
          activeSpans.push([since ?? u.created_at, e.at]);
        if (e.to === "active" && status !== "active") since = e.at;
        status = e.to;
      }
      if (status === "active") activeSpans.push([since ?? u.created_at, null]);
      if (status !== u.status)
        wrong.push(`${u.email}: history ends ${status}, row says ${u.status}`);
      if (u.status === "archived" && u.previous_status !== previous) {
        wrong.push(`${u.email}: archived from ${previous}, row says ${u.previous_status}`);
      }
      const signedIn = u.last_sign_in_at;
      if (
        signedIn !== null &&
        !activeSpans.some(([from, to]) => from <= signedIn && (to === null || signedIn < to))
      ) {
        wrong.push(`${u.email}: signed in at ${signedIn} while not active`);
      }
    }
    expect(rows.length).toBeGreaterThan(100);
    expect(wrong).toEqual([]);
  });

  it("stores a real password hash that verifies only the demo password", async () => {
    const r = await queryRows<{ password_hash: string }>(
      t.db,
      sql`select password_hash from users where email = 'admin@roster.test'`,
    );
    const hash = r[0]?.password_hash ?? null;
    expect(hash).toMatch(/^scrypt\$/);
    expect(await verifyPassword(DEMO_PASSWORD, hash)).toBe(true);
    expect(await verifyPassword("wrong", hash)).toBe(false);
  });
});
