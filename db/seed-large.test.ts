import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "@/lib/demo";
import { queryRows } from "./client";
import { USER_STATUSES } from "./schema";
import {
  type IndexDefinition,
  resetWorkspace,
  type SeedLargeEvent,
  secondaryIndexes,
  seedLargeWorkspace,
} from "./seed-large";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "./testing";

const N = 2_000;

async function count(t: TestDatabase, query: ReturnType<typeof sql>): Promise<number> {
  const [row] = await queryRows<{ n: number }>(t.db, query);
  return Number(row?.n);
}

describe.each(TEST_DRIVERS)("large seed on %s", (driver) => {
  let t: TestDatabase;
  let indexesBefore: IndexDefinition[];
  const events: SeedLargeEvent[] = [];

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    indexesBefore = await secondaryIndexes(t.db);
    await seedLargeWorkspace(t.db, {
      users: N,
      chunkSize: 700,
      onProgress: (e) => events.push(e),
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("adds exactly N users, in chunks, reporting progress up to N", async () => {
    expect(await count(t, sql`select count(*)::int as n from users`)).toBe(N);
    const chunks = events.filter((e) => e.kind === "chunk");
    // 4 founders (owner and admins) first, then chunks of 700.
    expect(chunks).toHaveLength(1 + Math.ceil((N - 4) / 700));
    expect(chunks.at(-1)).toMatchObject({ usersDone: N, usersTotal: N });
  });

  it("spreads users over every status, mostly active, with the archived ones remembering", async () => {
    const rows = await queryRows<{ status: string; n: number }>(
      t.db,
      sql`select status, count(*)::int as n from users group by status`,
    );
    const by = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    for (const status of USER_STATUSES) expect(by[status] ?? 0).toBeGreaterThan(0);
    expect(by.active).toBeGreaterThan(N / 2);
    expect(
      await count(
        t,
        sql`select count(*)::int as n from users
            where (status = 'archived') <> (previous_status is not null)`,
      ),
    ).toBe(0);
    expect(
      await count(t, sql`select count(*)::int as n from users where password_hash is not null`),
    ).toBe(0);
  });

  it("makes one owner, several admins and mostly members", async () => {
    const rows = await queryRows<{ role: string; n: number }>(
      t.db,
      sql`select role, count(*)::int as n from users group by role`,
    );
    const by = Object.fromEntries(rows.map((r) => [r.role, Number(r.n)]));
    expect(by.owner).toBe(1);
    expect(by.admin).toBeGreaterThanOrEqual(3);
    expect(by.member).toBeGreaterThan(N / 2);
    expect(
      await count(
        t,
        sql`select count(*)::int as n from users where role = 'owner' and status = 'active'`,
      ),
    ).toBe(1);
  });

  it("gives every user a unique email and spreads sign-ins, including never", async () => {
    expect(await count(t, sql`select count(distinct lower(email))::int as n from users`)).toBe(N);
    expect(
      await count(t, sql`select count(*)::int as n from users where last_sign_in_at is null`),
    ).toBeGreaterThan(0);
    const [span] = await queryRows<{ days: number }>(
      t.db,
      sql`select extract(epoch from max(created_at) - min(created_at)) / 86400 as days from users`,
    );
    expect(Number(span?.days)).toBeGreaterThan(600);
  });

  it("creates records owned by existing active or inactive users, none by archived ones", async () => {
    const projects = await count(t, sql`select count(*)::int as n from projects`);
    const automations = await count(t, sql`select count(*)::int as n from automations`);
    expect(projects).toBeGreaterThan(0);
    expect(automations).toBeGreaterThan(0);
    const owners = await queryRows<{ status: string; n: number }>(
      t.db,
      sql`select coalesce(u.status::text, 'missing') as status, count(*)::int as n
          from (select owner_id from projects union all select owner_id from automations) r
          left join users u on u.id = r.owner_id
          group by 1`,
    );
    expect(owners.map((o) => o.status).sort()).toEqual(["active", "inactive"]);
    expect(owners.reduce((s, o) => s + Number(o.n), 0)).toBe(projects + automations);
  });

  it("leaves every secondary index as it was, after dropping and rebuilding them", async () => {
    expect(events.some((e) => e.kind === "indexes-dropped" && e.names.length > 0)).toBe(true);
    expect(indexesBefore.map((i) => i.name)).toContain("users_search_trgm_idx");
    expect(await secondaryIndexes(t.db)).toEqual(indexesBefore);
  });

  it("vacuums after the load: statistics and the visibility map are up to date", async () => {
    const [users] = await queryRows<{ reltuples: number; relallvisible: number; relpages: number }>(
      t.db,
      sql`select reltuples, relallvisible, relpages from pg_class where relname = 'users'`,
    );
    expect(Number(users?.reltuples)).toBe(N);
    expect(Number(users?.relallvisible)).toBe(Number(users?.relpages));
    expect(events.at(-1)?.kind).toBe("vacuumed");
  });

  it("seeds again on top without clashing, keeping the one owner", async () => {
    await seedLargeWorkspace(t.db, { users: 300, rebuildIndexes: false });
    expect(await count(t, sql`select count(*)::int as n from users`)).toBe(N + 300);
    expect(await count(t, sql`select count(distinct lower(email))::int as n from users`)).toBe(
      N + 300,
    );
    expect(await count(t, sql`select count(*)::int as n from users where role = 'owner'`)).toBe(1);
  });

  it("resets to an empty workspace, audit history included, then adds to the demo's owner", async () => {
    await resetWorkspace(t.db);
    expect(await count(t, sql`select count(*)::int as n from users`)).toBe(0);
    await seedDemo(t.db);
    expect(await count(t, sql`select count(*)::int as n from audit_events`)).toBeGreaterThan(0);
    await resetWorkspace(t.db);
    for (const table of ["users", "projects", "automations", "audit_events", "workspace_meta"]) {
      expect(await count(t, sql`select count(*)::int as n from ${sql.identifier(table)}`)).toBe(0);
    }
    await seedDemo(t.db);
    const result = await seedLargeWorkspace(t.db, { users: 200 });
    expect(result.newOwner).toBe(false);
    const owners = await queryRows<{ email: string }>(
      t.db,
      sql`select email from users where role = 'owner'`,
    );
    expect(owners).toEqual([{ email: "owner@roster.test" }]);
    expect(
      await count(
        t,
        sql`select count(*)::int as n from users u join users c on c.id = u.status_changed_by
            where u.email like '%@example.test' and c.email = 'owner@roster.test'`,
      ),
    ).toBeGreaterThan(0);
  });

  it("refuses a count that is not a positive whole number", async () => {
    await expect(seedLargeWorkspace(t.db, { users: 0 })).rejects.toThrow(/positive/);
    await expect(seedLargeWorkspace(t.db, { users: 1.5 })).rejects.toThrow(/positive/);
  });
});
