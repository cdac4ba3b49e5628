import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import { decodeCursor, encodeCursor } from "./cursor";
import { listUsers, TAB_CODES, tabMatchCounts, viewTotal } from "./queries";
import { addUsers } from "./testing/fixtures";
import { parseUsersView, SORT_COLUMNS, type SortColumn, type UsersView } from "./view";

const N = 47;
const SIZE = 10;

const COLUMN: Record<SortColumn, string> = {
  name: "name",
  email: "email",
  role: "role",
  lastSignIn: "last_sign_in_at",
  created: "created_at",
  statusChanged: "status_changed_at",
};

describe.each(TEST_DRIVERS)("keyset pages on %s", (driver) => {
  let t: TestDatabase;

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    const roles = ["admin", "manager", "support", "member"] as const;
    const made = await addUsers(
      t.db,
      Array.from({ length: N }, (_, i) => ({
        // Few distinct names, roles and times: the id tie-break decides most of the order. One
        // name starts with U+FEFF, which PGlite's text decoding dropped from a cursor's key.
        name: `${i % 5 === 2 ? "\uFEFF" : ""}Keyset ${["Ada", "Ben", "Cy", "Di", "Ed"][i % 5]}`,
        role: roles[i % 4],
        status: "inactive" as const,
      })),
    );
    const ids = made.map((u) => u.id);
    await t.db.execute(sql`
      update users u set
        last_sign_in_at = case when k % 3 = 0 then null
          else timestamptz '2024-01-01 00:00:00.123456+00' + (k % 7) * interval '1 day' end,
        status_changed_at = case when k % 4 = 0 then null
          else timestamptz '2024-02-01 10:00:00.000001+00' + (k % 5) * interval '1 second' end,
        created_at = timestamptz '2023-06-01 00:00:00+00' + (k % 6) * interval '1 hour'
      from (select id, row_number() over (order by id) as k from users where id = any(${`{${ids.join(",")}}`}::uuid[])) n
      where u.id = n.id`);
  });
  afterAll(async () => {
    await t?.close();
  });

  const view = (sort: SortColumn, dir: "asc" | "desc", cursor?: string): UsersView => ({
    ...parseUsersView({ tab: "inactive", sort, dir, size: String(SIZE) }),
    cursor,
  });

  async function expected(sort: SortColumn, dir: "asc" | "desc"): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      t.db,
      sql`select id from users where tab = ${TAB_CODES.inactive}
        order by ${sql.raw(COLUMN[sort])} ${sql.raw(dir)} nulls last, id ${sql.raw(dir)}`,
    );
    return rows.map((r) => r.id);
  }

  for (const sort of SORT_COLUMNS) {
    for (const dir of ["asc", "desc"] as const) {
      it(`${sort} ${dir}: Next walks the whole order once, Previous walks it back, Last is its end`, async () => {
        const all = await expected(sort, dir);
        expect(all).toHaveLength(N);

        const forward: string[] = [];
        let page = await listUsers(t.db, view(sort, dir));
        expect(page.prev).toBeNull();
        for (let guard = 0; ; guard++) {
          expect(page.rows.length).toBeLessThanOrEqual(SIZE);
          // The position travels with the cursor: "11–20 of 47".
          expect(page.start).toBe(forward.length);
          forward.push(...page.rows.map((r) => r.id));
          if (!page.next || guard > N) break;
          page = await listUsers(t.db, view(sort, dir, page.next));
          expect(page.prev).not.toBeNull();
        }
        expect(forward).toEqual(all);

        let back = await listUsers(t.db, view(sort, dir, "last"));
        expect(back.next).toBeNull();
        expect(back.rows.map((r) => r.id)).toEqual(all.slice(-SIZE));
        expect(back.start).toBe(N - back.rows.length);
        const backward: string[][] = [back.rows.map((r) => r.id)];
        for (let guard = 0; back.prev && guard <= N; guard++) {
          back = await listUsers(t.db, view(sort, dir, back.prev));
          expect(back.start).toBe(all.indexOf(back.rows[0]?.id ?? ""));
          backward.unshift(back.rows.map((r) => r.id));
        }
        // Previous ends on the first page, full.
        expect(backward[0]).toEqual(all.slice(0, SIZE));
        expect(new Set(backward.flat())).toEqual(new Set(all));
      });
    }
  }

  it("a cursor past the end shows the last page; a bad or foreign cursor, the first", async () => {
    const all = await expected("name", "asc");
    const lastId = all[all.length - 1] as string;
    const [row] = await queryRows<{ k: string }>(
      t.db,
      // Behind a mark, as the pages read keys: the last name starts with U+FEFF.
      sql`select 'k' || name as k from users where id = ${lastId}::uuid`,
    );
    const past = encodeCursor({
      side: "after",
      sort: "name",
      dir: "asc",
      key: row?.k.slice(1) ?? "",
      id: lastId,
    });
    const page = await listUsers(t.db, view("name", "asc", past));
    expect(page.rows.map((r) => r.id)).toEqual(all.slice(-SIZE));
    expect(page.next).toBeNull();
    expect(page.start).toBe(N - SIZE);

    for (const bad of [
      "%%%",
      "bm90IGpzb24",
      encodeCursor({ side: "after", sort: "email", dir: "asc", key: "x", id: lastId }),
    ]) {
      const first = await listUsers(t.db, view("name", "asc", bad));
      expect(first.rows.map((r) => r.id)).toEqual(all.slice(0, SIZE));
    }
    // A timestamp key that isn't one never reaches SQL.
    const forged = encodeCursor({
      side: "after",
      sort: "created",
      dir: "asc",
      key: "'; drop table users; --",
      id: lastId,
    });
    expect(decodeCursor(forged, "created", "asc")).toEqual({ kind: "first" });
  });

  it("caps filtered totals past 1,000 and counts matches per tab", async () => {
    const total = await viewTotal(t.db, { ...view("name", "asc"), q: "Keyset" });
    expect(total).toEqual({ n: N, capped: false });
    const matches = await tabMatchCounts(t.db, { ...view("name", "asc"), q: "keyset ada" });
    expect(matches.inactive).toEqual({ n: Math.ceil(N / 5), capped: false });
    expect(matches.active).toEqual({ n: 0, capped: false });
    await addUsers(
      t.db,
      Array.from({ length: 1_001 }, (_, i) => ({
        name: `Capped ${i}`,
        status: "pending" as const,
      })),
    );
    expect(await viewTotal(t.db, { ...view("name", "asc"), tab: "pending", q: "capped" })).toEqual({
      n: 1_000,
      capped: true,
    });
    // The one pass over a search's matches, whole or stopped early (a limit of 30 matches read):
    // each tab as count(*) of the same condition says, capped.
    const exact = await queryRows<{ tab: number; n: number }>(
      t.db,
      sql`select tab, count(*)::int as n from users where (name || E'\n' || email) ilike '%e%' group by tab`,
    );
    const expected = Object.fromEntries(
      Object.entries(TAB_CODES).map(([tab, code]) => {
        const n = Number(exact.find((r) => Number(r.tab) === code)?.n ?? 0);
        return [tab, n > 1_000 ? { n: 1_000, capped: true } : { n, capped: false }];
      }),
    );
    expect(expected.pending).toEqual({ n: 1_000, capped: true });
    expect(expected.inactive).toEqual({ n: N, capped: false });
    const search = { ...view("name", "asc"), q: "e" };
    expect(await tabMatchCounts(t.db, search)).toEqual(expected);
    expect(await tabMatchCounts(t.db, search, 30)).toEqual(expected);
  });
});
