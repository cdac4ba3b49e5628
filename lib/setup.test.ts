import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { TEST_DRIVERS } from "@/db/testing";
import { useTestDatabase } from "@/db/testing-hooks";
import { authenticate } from "./authenticate";
import { createOwner, needsSetup, SETUP_CLOSED } from "./setup";

describe.each(TEST_DRIVERS)("first-run setup on %s", (driver) => {
  const t = useTestDatabase(driver);

  it("a fresh workspace waits for its owner; concurrent submissions create exactly one", async () => {
    expect(await needsSetup(t.db)).toBe(true);
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        createOwner(t.db, {
          name: `Racer ${i}`,
          email: `racer${i}@example.test`,
          password: "first-run-password",
        }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual(
      Array.from({ length: 4 }, () => ({ ok: false, error: SETUP_CLOSED })),
    );
    const owners = await queryRows<{ email: string; role: string; status: string }>(
      t.db,
      sql`select email, role, status from users`,
    );
    expect(owners).toHaveLength(1);
    expect(owners[0]).toMatchObject({ role: "owner", status: "active" });
    expect(await needsSetup(t.db)).toBe(false);
    const [audit] = await queryRows<{ action: string }>(t.db, sql`select action from audit_events`);
    expect(audit?.action).toBe("setup");
    // The owner signs in with what they chose.
    const signedIn = await authenticate(t.db, {
      email: owners[0]?.email ?? "",
      password: "first-run-password",
      address: "192.0.2.1",
    });
    expect(signedIn.ok).toBe(true);
  });

  it("closes for good: a later submission changes nothing", async () => {
    const before = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from users`);
    expect(
      await createOwner(t.db, {
        name: "Late",
        email: "late@example.test",
        password: "late-password",
      }),
    ).toEqual({ ok: false, error: SETUP_CLOSED });
    expect(await queryRows(t.db, sql`select count(*)::int as n from users`)).toEqual(before);
  });
});
