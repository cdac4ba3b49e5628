import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tabColumnExpression } from "@/model/statuses";
import { writtenColumns } from "@/model/verbs/index";
import { generatedExpression, modelDrift } from "./model-drift";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "./testing";

describe.each(TEST_DRIVERS)("the migrated database matches the registries on %s", (driver) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(driver);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("lacks nothing: statuses, the columns verbs write, the users.tab expression", async () => {
    expect(await modelDrift(t.db)).toEqual([]);
  });

  it("computes users.tab with the registry's expression", async () => {
    await t.db.execute(
      sql.raw(`create temp table tab_again (status user_status,
      tab smallint generated always as (${tabColumnExpression()}) stored)`),
    );
    const expected = await generatedExpression(t.db, "pg_temp.tab_again", "tab");
    expect(expected).toMatch(/^\s*CASE status\s+WHEN/);
    expect(await generatedExpression(t.db, "users", "tab")).toBe(expected);
  });

  it("says what a database without a written column or with another tab rule lacks", async () => {
    const [written] = writtenColumns();
    if (!written) throw new Error("no verb writes a column");
    await t.db
      .transaction(async (tx) => {
        await tx.execute(sql.raw(`alter table users drop column "${written.column}"`));
        await tx.execute(sql.raw(`alter table users drop column tab`));
        await tx.execute(
          sql.raw(`alter table users add column tab smallint not null
        generated always as (case status when 'active' then 0 else 1 end) stored`),
        );
        const drift = await modelDrift(tx);
        expect(drift[0]).toBe(
          `ALTER TABLE "users" ADD COLUMN "${written.column}" timestamp with time zone;`,
        );
        expect(drift[1]).toBe(`ALTER TABLE "users" DROP COLUMN "tab";`);
        expect(drift[2]).toContain(tabColumnExpression());
        tx.rollback();
      })
      .catch((e) => {
        if (!String(e).includes("Rollback")) throw e;
      });
  });
});
