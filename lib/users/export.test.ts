import { type SQL, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type NewUser, projects, USER_ROLES, type UserRole, users } from "@/db/schema";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import { parseCsv } from "@/lib/testing/parse-csv";
import {
  csvCell,
  csvHeader,
  EXPORT_COLUMNS,
  type ExportRow,
  type ExportView,
  exportBatches,
  exportFileName,
  SPOOL_LOCK_CLASS,
  usersCsvStream,
} from "./export";
import { listUsers } from "./queries";
import { SORT_COLUMNS, USERS_DEFAULTS } from "./view";

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  // Keep the byte-order mark: the tests check that it is there.
  const bytes = await new Response(stream).arrayBuffer();
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
}

const ID = EXPORT_COLUMNS.findIndex((c) => c.header === "ID");
const NAME = EXPORT_COLUMNS.findIndex((c) => c.header === "Name");

const SPECIAL_NAMES = [
  '=HYPERLINK("http://evil.test","click")',
  "Comma, Carl",
  'Quote "Q" Quinn',
  "Line\nBreak",
  "+Plus Sign",
  "-Minus Sign",
  "@At Sign",
  // Formula starts a spreadsheet finds behind spaces, and full-width ones.
  "\u3000=SUM(A1)",
  "\t=Tab",
  "\uFF1DFull Width",
  "\u00a0+Nbsp",
  "Carriage\rReturn",
  // What COPY's text and csv formats would escape or quote: the file must hold it as it is.
  "Back\\slash \\. \\N\ttab",
  // Spaces JavaScript's \\s knows, before a formula; one inside the text, which is no formula.
  "\u2005-En Quad Space",
  "Not\u3000=At Start",
  "\r+Carriage First",
];

const ROLES: UserRole[] = ["member", "support", "manager", "admin"];
const ARCHIVED = 50;

function archivedUser(i: number): NewUser & Record<string, unknown> {
  const ts = (value: string): SQL => sql`${value}::timestamptz`;
  return {
    // Names repeat (ties broken by id) and some need quoting or neutralising.
    name: SPECIAL_NAMES[i] ?? `Person ${String(i % 20).padStart(2, "0")}`,
    email: `arch${i}@ex.test`,
    role: ROLES[i % ROLES.length] as UserRole,
    status: "archived",
    previousStatus: "active",
    // Microsecond timestamps that repeat: the cursor must keep full precision.
    lastSignInAt:
      i % 5 === 0 ? null : (ts(`2024-03-${10 + (i % 4)} 10:00:00.123456+00`) as unknown as Date),
    createdAt: ts(`2023-01-0${1 + (i % 3)} 08:00:00.654321+00`) as unknown as Date,
    statusChangedAt:
      i % 2 === 0 ? null : (ts(`2024-04-0${1 + (i % 3)} 09:30:00.000001+00`) as unknown as Date),
  };
}

const base = (filter: Partial<ExportView>): ExportView => ({
  ...USERS_DEFAULTS,
  tab: "archived",
  ...filter,
});

describe("csvCell", () => {
  it("leaves plain text and numbers alone", () => {
    expect(csvCell("Ada Lovelace")).toBe("Ada Lovelace");
    expect(csvCell(12)).toBe("12");
    expect(csvCell(null)).toBe("");
  });

  it("quotes commas, quotes and line breaks, doubling inner quotes", () => {
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell("cr\rhere")).toBe('"cr\rhere"');
  });

  it("neutralises cells a spreadsheet would run as a formula", () => {
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("-1")).toBe("'-1");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tx")).toBe("'\tx");
    expect(csvCell('=HYPERLINK("x","y")')).toBe('"\'=HYPERLINK(""x"",""y"")"');
    expect(csvCell("a=b")).toBe("a=b");
  });

  it("neutralises a formula behind leading whitespace", () => {
    expect(csvCell(" =1+1")).toBe("' =1+1");
    expect(csvCell("  +1")).toBe("'  +1");
    expect(csvCell("\u00a0-1")).toBe("'\u00a0-1");
    expect(csvCell("\u3000@SUM(A1)")).toBe("'\u3000@SUM(A1)");
    expect(csvCell(" \t=1")).toBe("' \t=1");
    expect(csvCell("\r=1")).toBe('"\'\r=1"');
    expect(csvCell("\uFF1D1+1")).toBe("'\uFF1D1+1");
    expect(csvCell(" Ada = Lovelace")).toBe(" Ada = Lovelace");
  });

  it("names the file by tab and day", () => {
    expect(exportFileName("archived", new Date("2024-05-31T23:59:00Z"))).toBe(
      "roster-archived-2024-05-31.csv",
    );
  });
});

describe.each(TEST_DRIVERS)("users export on %s", (driver) => {
  let t: TestDatabase;
  const expected = new Map<string, { name: string; role: UserRole; neverSignedIn: boolean }>();

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    const archived = Array.from({ length: ARCHIVED }, (_, i) => archivedUser(i));
    const others: NewUser[] = [
      ...Array.from({ length: 10 }, (_, i) => ({
        name: `Active ${i}`,
        email: `act${i}@ex.test`,
        role: "member" as const,
        status: "active" as const,
      })),
      ...Array.from({ length: 3 }, (_, i) => ({
        name: `Pending ${i}`,
        email: `pend${i}@ex.test`,
        status: "pending" as const,
      })),
    ];
    const inserted = await t.db
      .insert(users)
      .values([...archived, ...others])
      .returning({ id: users.id, email: users.email });
    for (const [i, u] of inserted.slice(0, ARCHIVED).entries()) {
      expected.set(u.id, {
        name: SPECIAL_NAMES[i] ?? "",
        role: ROLES[i % ROLES.length] as UserRole,
        neverSignedIn: i % 5 === 0,
      });
    }
    const changer = inserted.find((u) => u.email === "act0@ex.test");
    if (!changer) throw new Error("fixture: act0 missing");
    await t.db
      .update(users)
      .set({ statusChangedBy: changer.id })
      .where(sql`${users.email} = 'arch3@ex.test'`);
    const owner = inserted.find((u) => u.email === "arch7@ex.test");
    if (!owner) throw new Error("fixture: arch7 missing");
    await t.db.insert(projects).values([
      { name: "One", ownerId: owner.id },
      { name: "Two", ownerId: owner.id },
    ]);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function exportedIds(view: ExportView, batchSize = 7): Promise<string[]> {
    const ids: string[] = [];
    for await (const batch of exportBatches(t.db, view, batchSize)) {
      ids.push(...batch.map((r) => r.id));
    }
    return ids;
  }

  async function viewIds(view: ExportView): Promise<{ ids: string[]; total: number }> {
    const { rows, total } = await listUsers(t.db, { ...view, size: 100 });
    return { ids: rows.map((r) => r.id), total: total.n };
  }

  it("pages in batches of the given size and exports every row once", async () => {
    const sizes: number[] = [];
    for await (const batch of exportBatches(t.db, base({}), 7)) sizes.push(batch.length);
    expect(sizes).toEqual([7, 7, 7, 7, 7, 7, 7, 1]);
    const ids = await exportedIds(base({}));
    expect(new Set(ids).size).toBe(ARCHIVED);
  });

  it("stops after an exact last batch", async () => {
    const sizes: number[] = [];
    for await (const batch of exportBatches(t.db, base({}), 10)) sizes.push(batch.length);
    expect(sizes).toEqual([10, 10, 10, 10, 10]);
  });

  for (const sort of SORT_COLUMNS) {
    for (const dir of ["asc", "desc"] as const) {
      it(`keeps the table's order across batches when sorted by ${sort} ${dir}`, async () => {
        const view = base({ sort, dir });
        const { ids, total } = await viewIds(view);
        expect(total).toBe(ARCHIVED);
        expect(await exportedIds(view, 7)).toEqual(ids);
      });
    }
  }

  it("honours the tab", async () => {
    const active = await exportedIds(base({ tab: "active" }));
    expect(active).toHaveLength(10);
    expect(await exportedIds(base({ tab: "pending" }), 2)).toHaveLength(3);
    expect(await exportedIds(base({ tab: "rejected" }))).toEqual([]);
    for (const id of active) expect(expected.has(id)).toBe(false);
  });

  it("honours the search, on name or email", async () => {
    const ids = await exportedIds(base({ q: "arch1" }));
    expect(ids).toHaveLength(11); // arch1 and arch10…arch19
    expect(await exportedIds(base({ q: "comma" }))).toHaveLength(1);
    expect(await exportedIds(base({ q: "%" }))).toEqual([]);
  });

  it("honours the role filter", async () => {
    const roles: UserRole[] = ["admin", "manager"];
    const ids = await exportedIds(base({ roles }));
    const want = [...expected].filter(([, u]) => roles.includes(u.role)).map(([id]) => id);
    expect(ids.sort()).toEqual(want.sort());
    expect(want.length).toBeGreaterThan(0);
    expect(USER_ROLES).toContain("admin");
  });

  it("honours never signed in", async () => {
    const ids = await exportedIds(base({ neverSignedIn: true }), 3);
    const want = [...expected].filter(([, u]) => u.neverSignedIn).map(([id]) => id);
    expect(ids.sort()).toEqual(want.sort());
    expect(ids).toHaveLength(10);
  });

  it("honours last sign-in before a day", async () => {
    const batches: number[] = [];
    for await (const b of exportBatches(
      t.db,
      base({ lastSignInBefore: "2024-03-12", sort: "lastSignIn" }),
      4,
    )) {
      batches.push(b.length);
      for (const r of b) {
        expect(r.lastSignInAt).not.toBeNull();
        expect(r.lastSignInAt?.getTime()).toBeLessThan(Date.parse("2024-03-12T00:00:00Z"));
      }
    }
    // i % 4 in {0, 1}, signed in (i % 5 !== 0): 25 - 5 = 20 rows.
    expect(batches.reduce((a, b) => a + b, 0)).toBe(20);
  });

  it("agrees with the table on records owned and who changed the status", async () => {
    const { rows } = await listUsers(t.db, { ...base({}), size: 100 });
    const exported = new Map<string, { owned: number; by: string | null }>();
    for await (const batch of exportBatches(t.db, base({}))) {
      for (const r of batch)
        exported.set(r.id, { owned: r.ownedRecords, by: r.statusChangedByName });
    }
    for (const r of rows) {
      expect(exported.get(r.id)).toEqual({ owned: r.ownedRecords, by: r.statusChangedByName });
    }
    expect(rows.filter((r) => r.ownedRecords === 2)).toHaveLength(1);
  });

  it("matches the view's total for combined filters", async () => {
    const view = base({ q: "person", roles: ["member", "support"], sort: "created", dir: "desc" });
    const { ids, total } = await viewIds(view);
    expect(total).toBeGreaterThan(0);
    expect(await exportedIds(view, 5)).toEqual(ids);
  });

  it("streams a header and one CSV row per user, escaped and neutralised", async () => {
    const text = await readAll(usersCsvStream(t.db, base({}), 7));
    expect(text.startsWith(`\uFEFF${csvHeader()}`)).toBe(true);
    const rows = parseCsv(text.slice(1));
    expect(rows[0]).toEqual(EXPORT_COLUMNS.map((c) => c.header));
    const body = rows.slice(1);
    expect(body).toHaveLength(ARCHIVED);
    const names = new Set(body.map((r) => r[NAME]));
    expect(names).toContain('\'=HYPERLINK("http://evil.test","click")');
    expect(names).toContain("Comma, Carl");
    expect(names).toContain('Quote "Q" Quinn');
    expect(names).toContain("Line\nBreak");
    expect(names).toContain("'+Plus Sign");
    expect(names).toContain("'-Minus Sign");
    expect(names).toContain("'@At Sign");
    for (const row of body) {
      expect(row).toHaveLength(EXPORT_COLUMNS.length);
      expect(expected.has(row[ID] ?? "")).toBe(true);
    }
    const arch7 = body.find((r) => r[1] === "arch7@ex.test");
    expect(arch7?.[EXPORT_COLUMNS.findIndex((c) => c.header === "Records owned")]).toBe("2");
    const changedBy = EXPORT_COLUMNS.findIndex((c) => c.header === "Status changed by");
    expect(body.find((r) => r[1] === "arch3@ex.test")?.[changedBy]).toBe("Active 0");
    expect(body.filter((r) => r[changedBy] !== "")).toHaveLength(1);
    const never = body.find((r) => r[1] === "arch0@ex.test");
    expect(never?.[EXPORT_COLUMNS.findIndex((c) => c.header === "Last sign-in")]).toBe("");
    const signed = body.find((r) => r[1] === "arch1@ex.test");
    expect(signed?.[EXPORT_COLUMNS.findIndex((c) => c.header === "Last sign-in")]).toBe(
      "2024-03-11T10:00:00.123Z",
    );
  });

  it("writes exactly what csvCell makes of the rows (the server builds the lines on PostgreSQL)", async () => {
    for (const view of [
      base({}),
      base({ sort: "lastSignIn", dir: "desc" }),
      base({ sort: "statusChanged" }),
    ]) {
      const text = await readAll(usersCsvStream(t.db, view, 7));
      const rows: ExportRow[] = [];
      for await (const batch of exportBatches(t.db, view, 7)) rows.push(...batch);
      expect(rows).toHaveLength(ARCHIVED);
      const lines = rows.map(
        (r) => `${EXPORT_COLUMNS.map((c) => csvCell(c.value(r))).join(",")}\r\n`,
      );
      expect(text).toBe(`\uFEFF${csvHeader()}${lines.join("")}`);
    }
  });

  it("streams only a header for an empty view", async () => {
    const text = await readAll(usersCsvStream(t.db, base({ tab: "rejected" })));
    expect(parseCsv(text.slice(1))).toEqual([EXPORT_COLUMNS.map((c) => c.header)]);
  });

  it("reads the next batch only when the reader asks for it", async () => {
    const reader = usersCsvStream(t.db, base({}), 7).getReader();
    const decoder = new TextDecoder();
    const header = await reader.read();
    expect(decoder.decode(header.value)).toContain("Name,Email");
    const first = await reader.read();
    const text = decoder.decode(first.value);
    if (driver === "pglite") {
      expect(parseCsv(text)).toHaveLength(7);
    } else {
      // The spool file, a part at a time (a part may end mid-line).
      expect(text).toContain("\r\n");
    }
    await reader.cancel();
  });

  it.runIf(driver === "postgres")(
    "spools one view at a time in the cluster: the next waits its turn holding no connection, and stops when cancelled",
    async () => {
      const pool = (t.db as unknown as { $client: pg.Pool }).$client;
      const busy = () => pool.totalCount - pool.idleCount;
      // Another instance's spool: the cluster's one slot, held by a transaction.
      const other = await pool.connect();
      try {
        await other.query("begin");
        await other.query("select pg_advisory_xact_lock($1, 0)", [SPOOL_LOCK_CLASS]);
        let ended = 0;
        const reader = usersCsvStream(t.db, base({}), undefined, {
          onEnd: () => ended++,
        }).getReader();
        await reader.read(); // the header
        let got = false;
        const first = reader.read().then((r) => {
          got = true;
          return r;
        });
        // Waiting: no rows yet, and between its tries the download holds no connection.
        let holding = 0;
        for (let i = 0; i < 20; i++) {
          await new Promise((resolve) => setTimeout(resolve, 60));
          if (busy() > 1) holding++;
        }
        expect(got).toBe(false);
        expect(holding).toBeLessThan(5);
        // The slot is free: the waiting download spools and gets its rows.
        await other.query("commit");
        const text = new TextDecoder().decode((await first).value);
        expect(text).toContain("\r\n");
        await reader.cancel();
        expect(ended).toBe(1);
        // A download that waits for the slot and is cancelled stops waiting.
        await other.query("begin");
        await other.query("select pg_advisory_xact_lock($1, 0)", [SPOOL_LOCK_CLASS]);
        const waiting = usersCsvStream(t.db, base({}), undefined, {
          onEnd: () => ended++,
        }).getReader();
        await waiting.read();
        const pending = waiting.read().catch(() => null);
        await new Promise((resolve) => setTimeout(resolve, 200));
        await waiting.cancel();
        await pending;
        await other.query("commit");
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        expect(ended).toBe(2);
        expect(busy()).toBe(1);
      } finally {
        other.release();
      }
    },
  );

  it.runIf(driver === "postgres")(
    "holds no connection while the client reads (or stalls), and gives it back when the COPY fails",
    async () => {
      const pool = (t.db as unknown as { $client: pg.Pool }).$client;
      const busy = () => pool.totalCount - pool.idleCount;
      expect(busy()).toBe(0);
      // A client that read the first part and stopped: the COPY went into the spool file and
      // the connection is back in the pool, whatever the client does next.
      let ended = 0;
      const reader = usersCsvStream(t.db, base({}), undefined, {
        onEnd: () => ended++,
      }).getReader();
      await reader.read(); // the header
      await reader.read(); // the first part of the spool file
      expect(busy()).toBe(0);
      expect(ended).toBe(0);
      await reader.cancel();
      expect(busy()).toBe(0);
      expect(ended).toBe(1);
      // A download past its deadline is cut off (and its end reported once).
      const late = usersCsvStream(t.db, base({}), undefined, {
        deadlineMs: 1,
        onEnd: () => ended++,
      }).getReader();
      await expect(
        (async () => {
          for (;;) {
            await new Promise((resolve) => setTimeout(resolve, 5));
            if ((await late.read()).done) break;
          }
        })(),
      ).rejects.toThrow(/too long/);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(ended).toBe(2);
      // Read to the end: the connection goes back to the pool, idle.
      const before = pool.idleCount;
      await readAll(usersCsvStream(t.db, base({})));
      expect(busy()).toBe(0);
      expect(pool.idleCount).toBeGreaterThanOrEqual(before);
      // Failed on the server: an error for the reader, and the one connection of the pool is
      // released (else the last query would wait for it forever).
      const one = new pg.Pool({
        connectionString: t.url ?? "",
        max: 1,
        options: "-c statement_timeout=300",
      });
      const locker = await pool.connect();
      try {
        await locker.query("begin; lock table users in access exclusive mode");
        await expect(readAll(usersCsvStream(drizzle(one), base({})))).rejects.toThrow(/timeout/);
        await locker.query("rollback");
        const { rows } = await one.query<{ n: number }>("select count(*)::int as n from users");
        expect(rows[0]?.n).toBeGreaterThan(0);
        expect(one.totalCount - one.idleCount).toBe(0);
      } finally {
        locker.release();
        await one.end();
      }
    },
  );
});
