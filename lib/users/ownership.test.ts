import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { User } from "@/db/schema";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import { eligibleNewOwners, ownedRecordCounts } from "./ownership";
import { addRecords, addUsers } from "./testing/fixtures";

describe.each(TEST_DRIVERS)("ownership on %s", (driver) => {
  let t: TestDatabase;
  let people: User[];
  beforeAll(async () => {
    t = await createTestDatabase(driver);
    people = await addUsers(t.db, [
      { role: "owner", name: "Olga Owner" },
      { role: "admin", name: "Ada 100% Admin" },
      { role: "admin", name: "Abe Admin" },
      { role: "admin", name: "Ina Inactive Admin", status: "inactive" },
      { role: "admin", name: "Arc Archived Admin", status: "archived" },
      { role: "manager", name: "Max Manager" },
      { role: "member", name: "Mo Member" },
    ]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("counts each user's records per kind, in one query, only for owners", async () => {
    const [, ada, , , , max, mo] = people as User[];
    await addRecords(t.db, (ada as User).id, { project: 2 });
    await addRecords(t.db, (mo as User).id, { project: 1, automation: 3 });
    const counts = await ownedRecordCounts(
      t.db,
      [ada, max, mo].map((u) => (u as User).id),
    );
    expect(Object.fromEntries(counts)).toEqual({
      [(ada as User).id]: { project: 2, automation: 0 },
      [(mo as User).id]: { project: 1, automation: 3 },
    });
    expect((await ownedRecordCounts(t.db, [])).size).toBe(0);
  });

  it("offers active admins and the owner, by name or email, less the excluded", async () => {
    const names = async (query: string, excludeIds: string[] = []) =>
      (await eligibleNewOwners(t.db, { query, excludeIds })).map((o) => o.name);
    expect(await names("")).toEqual(["Abe Admin", "Ada 100% Admin", "Olga Owner"]);
    // LIKE wildcards are literal text.
    expect(await names("100%")).toEqual(["Ada 100% Admin"]);
    expect(await names("%")).toEqual(["Ada 100% Admin"]);
    expect(await names("_")).toEqual([]);
    expect(await names("ADMIN")).toEqual(["Abe Admin", "Ada 100% Admin"]);
    expect(await names("example.test")).toHaveLength(3);
    expect(await names("", [(people[2] as User).id, "not-a-uuid"])).toEqual([
      "Ada 100% Admin",
      "Olga Owner",
    ]);
    expect(await eligibleNewOwners(t.db, { limit: 1 })).toHaveLength(1);
  });
});
