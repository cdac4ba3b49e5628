import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "@/lib/password";
import { queryRows } from "./client";
import { DEMO_PASSWORD, seedDemoIfEmpty } from "./demo";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "./testing";

describe.each(TEST_DRIVERS)("demo data on %s", (driver) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(driver);
  });
  afterAll(async () => {
    await t?.close();
  });

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
