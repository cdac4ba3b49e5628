import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import type { User } from "@/db/schema";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import { LIFECYCLE, VERB_NAMES } from "./lifecycle";
import { addUsers, asActor, filledOptions, run, selectionOf } from "./testing/fixtures";

/*
 * Figure: a 50-id bulk selection with one forbidden target (an equal rank, or the owner) → 0
 * forbidden rows changed, for every action of the lifecycle table, while the 49 others apply.
 */
describe.each(TEST_DRIVERS)("a 50-id bulk selection with one forbidden target on %s", (driver) => {
  let t: TestDatabase;
  let admin: User;
  let owner: User;
  beforeAll(async () => {
    t = await createTestDatabase(driver);
    [owner, admin] = (await addUsers(t.db, [{ role: "owner" }, { role: "admin" }])) as [User, User];
  });
  afterAll(async () => {
    await t?.close();
  });

  const row = async (id: string) =>
    (
      await queryRows<Record<string, unknown>>(
        t.db,
        sql`select to_jsonb(u) as row from users u where id = ${id}::uuid`,
      )
    )[0]?.row ?? null;

  for (const action of VERB_NAMES) {
    for (const forbidden of ["equal rank", "owner"] as const) {
      it(`${action}: the ${forbidden} target is untouched, the 49 others change`, async () => {
        const from = LIFECYCLE[action].from[0];
        if (!from) throw new Error(`${action} has no from status`);
        const allowed = await addUsers(
          t.db,
          Array.from({ length: 49 }, () => ({ status: from, role: "member" as const })),
        );
        const target =
          forbidden === "owner"
            ? owner
            : ((await addUsers(t.db, [{ status: from, role: "admin" }]))[0] as User);
        const selection = selectionOf([
          ...allowed.slice(0, 25),
          target.status === from ? target : { id: target.id, status: target.status },
          ...allowed.slice(25),
        ]);
        const before = await row(target.id);
        const result = await run(t.db, asActor(admin), action, {
          selection,
          options: filledOptions(action),
        });
        expect(await row(target.id)).toEqual(before);
        expect(result).toMatchObject({ ok: true, done: 49 });
      });
    }
  }
});
