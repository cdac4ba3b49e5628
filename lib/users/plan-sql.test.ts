import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { USER_ROLES, USER_STATUSES, type UserRole, type UserStatus } from "@/db/schema";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import { LIFECYCLE_ACTIONS, targetStatus } from "./lifecycle";
import type { Person } from "./permissions";
import { aliasColumns, changesSql, skipCodeSql, targetStatusSql } from "./plan-sql";
import { skipCode } from "./preview";
import { jsonRows } from "./sql";

type Row = {
  id: string;
  role: UserRole;
  status: UserStatus;
  previous_status: UserStatus | null;
  expected: UserStatus | null;
};

/** Every role × status × previous status × expected status, plus the actor themselves. */
function everyTarget(actor: Person): Row[] {
  const rows: Row[] = [];
  const prevs: (UserStatus | null)[] = [null, ...USER_STATUSES];
  const expecteds: (UserStatus | null)[] = [null, ...USER_STATUSES];
  for (const role of USER_ROLES)
    for (const status of USER_STATUSES)
      for (const previous of prevs)
        for (const expected of expecteds) {
          rows.push({ id: randomUUID(), role, status, previous_status: previous, expected });
        }
  for (const status of USER_STATUSES) {
    rows.push({ id: actor.id, role: actor.role, status, previous_status: null, expected: null });
  }
  return rows;
}

describe.each(TEST_DRIVERS)("SQL plan predicates on %s", (driver) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(driver);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("agree with the JS check on every actor role × action × target role × status × special target", async () => {
    let compared = 0;
    for (const actorRole of USER_ROLES) {
      const actor: Person = { id: randomUUID(), role: actorRole };
      const rows = everyTarget(actor);
      for (const action of LIFECYCLE_ACTIONS) {
        for (const sendInvitation of action === "restore" ? [false, true] : [false]) {
          const c = aliasColumns("r");
          const got = await queryRows<{
            i: number;
            code: string | null;
            changes: boolean;
            to: string | null;
          }>(
            t.db,
            sql`select r.i, ${skipCodeSql(actor, action, c)} as code, ${changesSql(actor, action, c)} as changes,
                  ${targetStatusSql(action, c, { sendInvitation })} as "to"
                from jsonb_to_recordset(${jsonRows(rows.map((r, i) => ({ ...r, i })))})
                  as r(i int, id uuid, role user_role, status user_status, previous_status user_status, expected user_status)
                order by r.i`,
          );
          expect(got).toHaveLength(rows.length);
          for (const g of got) {
            const r = rows[g.i] as Row;
            const target = { ...r, name: "", email: "", previousStatus: r.previous_status };
            const want = skipCode(actor, action, target, r.expected ?? undefined);
            expect({ i: g.i, code: g.code }).toEqual({ i: g.i, code: want });
            expect(g.changes).toBe(want === null);
            if (want === null) {
              const to = targetStatus(action, r.status, r.previous_status, { sendInvitation });
              expect({ i: g.i, to: g.to }).toEqual({ i: g.i, to });
            }
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(5 * 9 * 1400);
  }, 120_000);
});
