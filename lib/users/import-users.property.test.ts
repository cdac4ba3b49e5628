import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import type { User } from "@/db/schema";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import { applyImport, previewImport } from "./import-users";
import { addOwnerAndAdmins, addUser, asActor, snapshot } from "./testing/fixtures";

/*
 * Any CSV text either is refused as a whole (nothing changes) or previews with every row in
 * exactly one list (created, skipped, error); and "Import" then creates exactly the rows the
 * preview listed as created: never a row it did not show.
 */
describe.each(TEST_DRIVERS)("import CSV, any file, on %s", (driver) => {
  let t: TestDatabase;
  let admin: User;
  let known: User;
  let run = 0;

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    [, admin] = await addOwnerAndAdmins(t.db);
    known = await addUser(t.db, { role: "member", status: "archived" });
  });
  afterAll(async () => {
    await t?.close();
  });

  const cell = (k: () => string) =>
    fc.oneof(
      fc.constantFrom(
        "",
        " ",
        "=1+2",
        "+x",
        "-y",
        "@z",
        'quo"te',
        "semi;colon",
        "com,ma",
        "two\nlines",
      ),
      fc.string({ maxLength: 6 }),
      fc.nat(3).map((i) => `p${i}.${k()}@example.test`),
      fc.constant(known.email.toUpperCase()),
    );
  const role = fc.oneof(
    fc.constantFrom("member", "Support", "MANAGER", "admin", "owner", "", "wizard"),
    fc.string({ maxLength: 4 }),
  );
  const status = fc.constantFrom("", "invited", "Pending", "active", "x");

  function quote(v: string, sep: string): string {
    return /["\r\n]/.test(v) || v.includes(sep) ? `"${v.replaceAll('"', '""')}"` : v;
  }

  it("previews with per-row errors or refuses; applies exactly the previewed rows", async () => {
    const tagOf = () => `${driver}${run}`;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          sep: fc.constantFrom(",", ";"),
          eol: fc.constantFrom("\n", "\r\n"),
          bom: fc.boolean(),
          withStatus: fc.boolean(),
          rows: fc.array(fc.tuple(cell(tagOf), cell(tagOf), role, status), { maxLength: 8 }),
          noise: fc.option(fc.string({ maxLength: 30 }), { freq: 4 }),
        }),
        async (f) => {
          run++;
          const header = ["Email", "NAME", "role", ...(f.withStatus ? ["Status"] : [])];
          const body = f.rows.map(([e, n, r, s]) =>
            [e, n, r, ...(f.withStatus ? [s] : [])].map((v) => quote(v, f.sep)).join(f.sep),
          );
          const text = `${f.bom ? "\uFEFF" : ""}${[header.join(f.sep), ...body].join(f.eol)}${f.eol}${f.noise ?? ""}`;
          const before = await snapshot(t.db);
          const p = await previewImport(t.db, {
            actor: asActor(admin),
            fileName: "any.csv",
            source: [new TextEncoder().encode(text)],
            seatLimit: 1_000_000,
          });
          expect(await snapshot(t.db)).toEqual(before);
          if (!p.ok) {
            expect(p.error.length).toBeGreaterThan(0);
            return;
          }
          const created = p.create.invited + p.create.pending;
          expect(created + p.errorCount + p.skippedCount).toBe(p.rows);
          for (const r of p.errors) {
            expect(r.line).toBeGreaterThan(1);
            expect(r.problems.length).toBeGreaterThan(0);
          }
          const shown = p.willCreate.map((r) => r.email.toLowerCase()).sort();
          expect(shown.length).toBe(created);
          const r = await applyImport(t.db, {
            actor: asActor(admin),
            importId: p.importId,
            seatLimit: 1_000_000,
          });
          if (!r.ok) throw new Error(r.error);
          const made = await queryRows<{
            email: string;
            name: string;
            role: string;
            status: string;
          }>(
            t.db,
            sql`select email, name, role, status from users
                where lower(email) in (select value from json_array_elements_text(${JSON.stringify(shown)}::json))`,
          );
          expect(made.map((u) => u.email.toLowerCase()).sort()).toEqual(shown);
          const users = ((before?.users ?? []) as unknown[]).length;
          const [after] = await queryRows<{ n: number }>(
            t.db,
            sql`select count(*)::int as n from users`,
          );
          expect(after?.n).toBe(users + shown.length);
          const byEmail = new Map(p.willCreate.map((w) => [w.email.toLowerCase(), w]));
          for (const u of made) {
            const w = byEmail.get(u.email.toLowerCase());
            expect([u.name, u.role, u.status]).toEqual([w?.name, w?.role, w?.status]);
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});
