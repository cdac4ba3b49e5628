import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import type { User } from "@/db/schema";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import { resolveAuthSecret } from "@/lib/env";
import { renderBody } from "@/lib/mail/sealed-link";
import {
  DIGEST_INTERVAL_MS,
  domainAllowed,
  requestAccess,
  sendAccessDigest,
} from "./access-requests";
import { completePasswordReset } from "./password-resets";
import { addOwnerAndAdmins, addUser, asActor, run, selectionOf } from "./testing/fixtures";

const BASE = "https://roster.example";

describe("the domain allow-list", () => {
  it("takes any domain without a list, else only the listed ones, in any case", () => {
    expect(domainAllowed("a@anything.test", null)).toBe(true);
    expect(domainAllowed("a@Example.COM", ["example.com"])).toBe(true);
    expect(domainAllowed("a@sub.example.com", ["example.com"])).toBe(false);
    expect(domainAllowed("a@example.com.evil.test", ["example.com"])).toBe(false);
  });
});

describe.each(TEST_DRIVERS)("access requests on %s", (driver) => {
  let t: TestDatabase;
  let admin: User;
  let manager: User;
  let n = 0;
  const address = () => `asker.${++n}@example.test`;

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    [, admin] = await addOwnerAndAdmins(t.db);
    manager = await addUser(t.db, { role: "manager", status: "active" });
    await addUser(t.db, { role: "support", status: "active" });
    await addUser(t.db, { role: "admin", status: "inactive" });
  });
  afterAll(async () => {
    await t?.close();
  });

  async function person(email: string) {
    const [row] = await queryRows<{
      id: string;
      name: string;
      status: string;
      role: string;
      password_hash: string | null;
      message: string | null;
    }>(
      t.db,
      sql`select u.id, u.name, u.status, u.role, u.password_hash, r.message
          from users u left join access_requests r on r.user_id = u.id
          where lower(u.email) = lower(${email})`,
    );
    return row;
  }

  async function mail(kind: string, since = 0) {
    return queryRows<{ id: number; to_email: string; body: string; sealed_token: string | null }>(
      t.db,
      sql`select id, to_email, body, sealed_token from outbox where kind = ${kind} and id > ${since} order by id`,
    );
  }

  async function lastMailId(): Promise<number> {
    const [row] = await queryRows<{ id: number | null }>(
      t.db,
      sql`select max(id)::int as id from outbox`,
    );
    return Number(row?.id ?? 0);
  }

  it("a request makes a pending member with the message, audited as their own; a known address changes nothing", async () => {
    const email = address();
    await requestAccess(t.db, {
      name: "Asa Asker",
      email,
      message: "I'm on the data team.",
      baseUrl: BASE,
    });
    const asker = await person(email);
    expect(asker).toMatchObject({
      name: "Asa Asker",
      status: "pending",
      role: "member",
      password_hash: null,
      message: "I'm on the data team.",
    });
    const events = await queryRows<{ action: string; actor_id: string; to_status: string }>(
      t.db,
      sql`select action, actor_id, to_status from audit_events where target_id = ${asker?.id}`,
    );
    expect(events).toEqual([
      { action: "request-access", actor_id: asker?.id, to_status: "pending" },
    ]);

    const users = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from users`);
    const since = await lastMailId();
    // Again, in another case; and for an existing active admin.
    await requestAccess(t.db, {
      name: "Someone Else",
      email: email.toUpperCase(),
      message: "",
      baseUrl: BASE,
    });
    await requestAccess(t.db, {
      name: "Mallory",
      email: admin.email,
      message: "let me in",
      baseUrl: BASE,
    });
    expect(await queryRows(t.db, sql`select count(*)::int as n from users`)).toEqual(users);
    expect((await person(email))?.name).toBe("Asa Asker");
    expect((await person(admin.email))?.message).toBeNull();
    expect(await lastMailId()).toBe(since);
  });

  it("admins, managers and the owner get at most one digest an hour, listing the requests since the last", async () => {
    const t0 = new Date(Date.now() + 10 * DIGEST_INTERVAL_MS);
    const since = await lastMailId();
    const first = address();
    await requestAccess(t.db, {
      name: "Bo First",
      email: first,
      message: "",
      baseUrl: BASE,
      now: t0,
    });
    const digests = await mail("access-requests", since);
    // The owner, two active admins and the manager; not support, not the inactive admin.
    expect(digests).toHaveLength(4);
    expect(digests.map((d) => d.to_email)).toContain(manager.email);
    expect(digests[0]?.body).toContain(first);

    const later = new Date(t0.getTime() + DIGEST_INTERVAL_MS / 2);
    const second = address();
    await requestAccess(t.db, {
      name: "Cy Second",
      email: second,
      message: "",
      baseUrl: BASE,
      now: later,
    });
    expect(await mail("access-requests", since)).toHaveLength(4);
    expect(await sendAccessDigest(t.db, { baseUrl: BASE, now: later })).toBe(0);

    const afterHour = new Date(t0.getTime() + DIGEST_INTERVAL_MS);
    expect(await sendAccessDigest(t.db, { baseUrl: BASE, now: afterHour })).toBe(4);
    const next = (await mail("access-requests", since)).slice(4);
    expect(next).toHaveLength(4);
    expect(next[0]?.body).toContain(second);
    expect(next[0]?.body).not.toContain(first);
    // Nothing waiting: no digest, however long it has been.
    const muchLater = new Date(afterHour.getTime() + 5 * DIGEST_INTERVAL_MS);
    expect(await sendAccessDigest(t.db, { baseUrl: BASE, now: muchLater })).toBe(0);
  });

  it("approving emails a link to set a password that signs them in; rejecting emails a refusal", async () => {
    const yes = address();
    const no = address();
    await requestAccess(t.db, { name: "Di Yes", email: yes, message: "", baseUrl: BASE });
    await requestAccess(t.db, { name: "Ed No", email: no, message: "", baseUrl: BASE });
    const since = await lastMailId();
    const approved = await person(yes);
    const rejected = await person(no);
    const target = (p: typeof approved) => ({ id: p?.id ?? "", status: "pending" as const });
    expect(
      await run(t.db, asActor(manager), "approve", { selection: selectionOf([target(approved)]) }),
    ).toMatchObject({ ok: true, done: 1 });
    expect(
      await run(t.db, asActor(manager), "reject", { selection: selectionOf([target(rejected)]) }),
    ).toMatchObject({ ok: true, done: 1 });

    const [welcome] = await mail("access-approved", since);
    expect(welcome?.to_email).toBe(yes);
    const text = renderBody(
      welcome?.body ?? "",
      welcome?.sealed_token ?? null,
      resolveAuthSecret(),
    );
    const token = text.match(/\/reset-password\/([A-Za-z0-9_-]{43})/)?.[1] ?? "";
    // Still good after six days.
    const sixDays = new Date(Date.now() + 6 * 24 * 60 * 60_000);
    expect(
      await completePasswordReset(t.db, { token, password: "first-password-1", now: sixDays }),
    ).toEqual({ ok: true, email: yes });
    expect((await person(yes))?.password_hash).toBeTruthy();

    const refusals = await mail("access-rejected", since);
    expect(refusals.map((r) => r.to_email)).toEqual([no]);
    expect(refusals[0]?.body).toContain("declined");
  });
});
