import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { USER_ROLES, USER_STATUSES, type UserRole, type UserStatus } from "@/db/schema";
import { jsonRows } from "@/db/sql";
import { TEST_DRIVERS } from "@/db/testing";
import { useTestDatabase } from "@/db/testing-hooks";
import { type Doer, isSystem } from "@/model/permissions";
import type { VerbOptions } from "@/model/verbs";
import { targetStatus, VERB_NAMES, type Verb } from "./lifecycle";
import { aliasColumns, changesSql, skipCodeSql, targetStatusSql } from "./plan-sql";
import { skipCode } from "./testing/reference-planner";

type Row = {
  id: string;
  role: UserRole;
  status: UserStatus;
  previous_status: UserStatus | null;
  expected: UserStatus | null;
};

/** Every role × status × previous status × expected status, plus the actor themselves. */
function everyTarget(actor: Doer): Row[] {
  const rows: Row[] = [];
  const prevs: (UserStatus | null)[] = [null, ...USER_STATUSES];
  const expecteds: (UserStatus | null)[] = [null, ...USER_STATUSES];
  for (const role of USER_ROLES)
    for (const status of USER_STATUSES)
      for (const previous of prevs)
        for (const expected of expecteds) {
          rows.push({ id: randomUUID(), role, status, previous_status: previous, expected });
        }
  if (isSystem(actor)) return rows;
  for (const status of USER_STATUSES) {
    rows.push({ id: actor.id, role: actor.role, status, previous_status: null, expected: null });
  }
  return rows;
}

/** The options that change a plan: where a restore lands, the role a change of role gives. */
function optionVariants(action: Verb): VerbOptions[] {
  if (action === "restore") return [{ sendInvitation: false }, { sendInvitation: true }];
  if (action === "changeRole") return [{}, ...USER_ROLES.map((role) => ({ role }))];
  return [{}];
}

describe.each(TEST_DRIVERS)("SQL plan predicates on %s", (driver) => {
  const t = useTestDatabase(driver);

  it("agree with the JS check on every actor (each role, the system) × action × target role × status × special target", async () => {
    let compared = 0;
    const actors: Doer[] = [
      ...USER_ROLES.map((role) => ({ id: randomUUID(), role })),
      { system: "Policy: suspension ends" },
    ];
    for (const actor of actors) {
      const rows = everyTarget(actor);
      for (const action of VERB_NAMES) {
        for (const options of optionVariants(action)) {
          const c = aliasColumns("r");
          const got = await queryRows<{
            i: number;
            code: string | null;
            changes: boolean;
            to: string | null;
          }>(
            t.db,
            sql`select r.i, ${skipCodeSql(actor, action, c, options)} as code, ${changesSql(actor, action, c, options)} as changes,
                  ${targetStatusSql(action, c, options)} as "to"
                from jsonb_to_recordset(${jsonRows(rows.map((r, i) => ({ ...r, i })))})
                  as r(i int, id uuid, role user_role, status user_status, previous_status user_status, expected user_status)
                order by r.i`,
          );
          expect(got).toHaveLength(rows.length);
          for (const g of got) {
            const r = rows[g.i] as Row;
            const target = { ...r, name: "", email: "", previousStatus: r.previous_status };
            const want = skipCode(actor, action, target, r.expected ?? undefined, options);
            expect({ i: g.i, code: g.code }).toEqual({ i: g.i, code: want });
            expect(g.changes).toBe(want === null);
            if (want === null) {
              const to = targetStatus(action, r.status, r.previous_status, options);
              expect({ i: g.i, to: g.to }).toEqual({ i: g.i, to });
            }
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(6 * 9 * 1400);
  }, 120_000);
});
