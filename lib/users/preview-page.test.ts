import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { User } from "@/db/schema";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import { type PreviewCursor, previewChangesPage } from "./preview-sql";
import { addUsers, asActor, parseInput } from "./testing/fixtures";
import { skipCode } from "./testing/reference-planner";
import type { Selection } from "./verb-types";
import { previewPageInputSchema } from "./verbs/input";

describe('the "See all" page input', () => {
  const base = {
    action: "deactivate",
    selection: { kind: "ids", targets: [{ id: crypto.randomUUID(), expectedStatus: "active" }] },
    options: {},
  };
  it("takes a cursor of a name and a uuid, or null", () => {
    expect(previewPageInputSchema.safeParse({ ...base, after: null }).success).toBe(true);
    expect(
      previewPageInputSchema.safeParse({ ...base, after: { name: "Ana", id: crypto.randomUUID() } })
        .success,
    ).toBe(true);
  });
  it("refuses a malformed cursor, an unknown key, a page too large", () => {
    for (const bad of [
      { ...base, after: { name: "Ana", id: "1 or 1=1" } },
      { ...base, after: { name: "Ana", id: crypto.randomUUID(), extra: 1 } },
      { ...base, after: "Ana" },
      { ...base },
      { ...base, after: null, limit: 5_000 },
      { ...base, after: null, page: 2 },
    ]) {
      expect(previewPageInputSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe.each(TEST_DRIVERS)('"See all" pages by keyset, on %s', (driver) => {
  let t: TestDatabase;
  let admin: User;
  let people: User[];

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    [admin] = (await addUsers(t.db, [{ role: "admin", name: "Zz Admin" }])) as [User];
    // Duplicate names (the id breaks the tie), skipped users (an admin, the wrong status) among them.
    people = await addUsers(
      t.db,
      Array.from({ length: 47 }, (_, i) => ({
        name: `Page ${String(i % 20).padStart(2, "0")}`,
        role: i % 11 === 0 ? ("admin" as const) : ("member" as const),
        status: i % 7 === 0 ? ("pending" as const) : ("active" as const),
      })),
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  async function allPages(selection: Selection, size: number) {
    const parsed = parseInput("deactivate", { selection }).selection;
    const seen: string[] = [];
    let after: PreviewCursor | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof previewChangesPage>> = await previewChangesPage(t.db, {
        actor: asActor(admin),
        action: "deactivate",
        selection: parsed,
        after,
        limit: size,
      });
      expect(page.rows.length).toBeLessThanOrEqual(size);
      seen.push(...page.rows.map((r) => r.id));
      after = page.next;
      pages++;
    } while (after && pages < 100);
    return { seen, pages };
  }

  function expected(targets: User[]) {
    return targets
      .filter((u) => skipCode(asActor(admin), "deactivate", u) === null)
      .sort((a, b) => (a.name === b.name ? (a.id < b.id ? -1 : 1) : a.name < b.name ? -1 : 1))
      .map((u) => u.id);
  }

  it("walks a filter selection page by page: every user who changes once, in name order", async () => {
    const filter = {
      tab: "active" as const,
      q: "Page",
      roles: [],
      neverSignedIn: false,
      lastSignInBefore: null,
      accessEnding: false,
    };
    const { seen, pages } = await allPages({ kind: "filter", filter, excludeIds: [] }, 7);
    const want = expected(people.filter((p) => p.status === "active"));
    expect(want.length).toBeGreaterThan(30);
    expect(seen).toEqual(want);
    expect(pages).toBe(Math.ceil(want.length / 7));
  });

  it("walks an explicit selection the same way, the skipped left out", async () => {
    const chosen = people.slice(0, 30);
    const { seen } = await allPages(
      { kind: "ids", targets: chosen.map((p) => ({ id: p.id, expectedStatus: p.status })) },
      4,
    );
    expect(seen).toEqual(expected(chosen));
  });
});
