import { createHash, randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import type { User } from "@/db/schema";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import { applyPreviewed } from "@/lib/lifecycle/apply";
import type { Person } from "@/model/permissions";
import type { Verb } from "./lifecycle";
import { canonicalSelection } from "./selection";
import { issuePreviewToken, SELECTION_CHANGED } from "./selection-token";
import { addOwnerAndAdmins, addUsers, asActor, parseInput } from "./testing/fixtures";
import type { ParsedSelection } from "./verb-types";

/** Everyone in a tab whose name carries a fresh tag: a filter selection nobody else matches. */
function tagged(tab: "active" | "archived"): { tag: string; selection: ParsedSelection } {
  const tag = `Tok${randomBytes(3).toString("hex")}`;
  const filter = {
    tab,
    q: tag,
    roles: [],
    neverSignedIn: false,
    lastSignInBefore: null,
    accessEnding: false,
  };
  return { tag, selection: { kind: "filter", filter, excludeIds: [] } };
}

describe.each(TEST_DRIVERS)("the preview's token on %s", (driver) => {
  let t: TestDatabase;
  let admin: User;
  let otherAdmin: User;
  const now = new Date();

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    [, admin, otherAdmin] = await addOwnerAndAdmins(t.db);
  });
  afterAll(async () => {
    await t?.close();
  });

  function apply(actor: Person, action: Verb, selection: ParsedSelection, token: string, at = now) {
    const { selection: _, ...rest } = parseInput(action, { selection });
    return applyPreviewed(t.db, {
      actor,
      action,
      input: { ...rest, selection },
      token,
      seatLimit: 1_000_000,
      now: at,
      requestId: null,
    });
  }

  async function statuses(tag: string): Promise<string[]> {
    const rows = await queryRows<{ status: string }>(
      t.db,
      sql`select status from users where name like ${`${tag}%`} order by name`,
    );
    return rows.map((r) => r.status);
  }

  it("is a MAC: the filter's hash, another admin's token and an expired one are refused", async () => {
    const { tag, selection } = tagged("archived");
    await addUsers(t.db, [
      { name: `${tag} a`, status: "archived", previousStatus: "active" },
      { name: `${tag} b`, status: "archived", previousStatus: "active" },
    ]);
    // What anyone could compute before: an unkeyed hash of the filter.
    const unkeyed = createHash("sha256")
      .update(canonicalSelection("restore", selection))
      .digest("base64url");
    const forged = await apply(asActor(admin), "restore", selection, unkeyed);
    expect(forged).toMatchObject({ ok: false });
    const theirs = await issuePreviewToken(t.db, {
      actor: asActor(otherAdmin),
      action: "restore",
      selection,
      now,
    });
    expect(await apply(asActor(admin), "restore", selection, theirs)).toMatchObject({ ok: false });
    // A token for another action is no token for this one.
    expect(await apply(asActor(otherAdmin), "reactivate", selection, theirs)).toMatchObject({
      ok: false,
    });
    const mine = await issuePreviewToken(t.db, {
      actor: asActor(admin),
      action: "restore",
      selection,
      now,
    });
    const late = new Date(now.getTime() + 2 * 60 * 60 * 1000);
    expect(await apply(asActor(admin), "restore", selection, mine, late)).toMatchObject({
      ok: false,
    });
    expect(await statuses(tag)).toEqual(["archived", "archived"]);
    // The real one, in time, applies.
    expect(await apply(asActor(admin), "restore", selection, mine)).toMatchObject({
      ok: true,
      done: 2,
    });
  });

  it("previewed on 0 users, applied after 2 came to match: nothing applied, the dialog told", async () => {
    const { tag, selection } = tagged("active");
    const token = await issuePreviewToken(t.db, {
      actor: asActor(admin),
      action: "archive",
      selection,
      now,
    });
    await addUsers(t.db, [{ name: `${tag} a` }, { name: `${tag} b` }]);
    const result = await apply(asActor(admin), "archive", selection, token);
    expect(result).toEqual({ ok: false, conflict: true, error: SELECTION_CHANGED });
    expect(SELECTION_CHANGED).toMatch(/^The selection changed since you reviewed it/);
    expect(await statuses(tag)).toEqual(["active", "active"]);
    // The same count, other people: changed too.
    const fresh = await issuePreviewToken(t.db, {
      actor: asActor(admin),
      action: "archive",
      selection,
      now,
    });
    await t.db.execute(sql`update users set status = 'inactive' where name = ${`${tag} b`}`);
    await addUsers(t.db, [{ name: `${tag} c` }]);
    expect(await apply(asActor(admin), "archive", selection, fresh)).toMatchObject({
      ok: false,
      conflict: true,
    });
    expect(await statuses(tag)).toEqual(["active", "inactive", "active"]);
  });
});
