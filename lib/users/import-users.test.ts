import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import type { User } from "@/db/schema";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import { resolveAuthSecret } from "@/lib/env";
import { renderBody } from "@/lib/mail/sealed-link";
import { IMPORT_JOB, IMPORT_MAX_BYTES, IMPORT_MESSAGES } from "@/model/import-csv";
import type { Person } from "@/model/permissions";
import { usersCsvStream } from "./export";
import { applyImport, type ImportPreview, previewImport } from "./import-users";
import { acceptInvitation, hashToken } from "./invitations";
import { PLAN_CHANGED } from "./new-users";
import { nextBatchSize, runNewUsersBatch } from "./new-users-job";
import { addOwnerAndAdmins, addUser, asActor, snapshot } from "./testing/fixtures";
import { parseUsersView } from "./view";

const BIG = 1_000_000;
let tagCount = 0;

describe.each(TEST_DRIVERS)("import CSV on %s", (driver) => {
  let t: TestDatabase;
  let admin: User;
  let support: User;
  let inactive: User;

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    [, admin] = await addOwnerAndAdmins(t.db);
    support = await addUser(t.db, { role: "support" });
    inactive = await addUser(t.db, { role: "member", status: "inactive" });
  });
  afterAll(async () => {
    await t?.close();
  });

  function tag() {
    return `${driver}${++tagCount}`;
  }

  /** The file, in chunks of `size` bytes (to cut CRLFs, quotes and multi-byte characters). */
  function file(text: string, size = 7): Uint8Array[] {
    const bytes = new TextEncoder().encode(text);
    const out: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += size) out.push(bytes.slice(i, i + size));
    return out;
  }

  async function preview(actor: Person, text: string, seatLimit = BIG) {
    return previewImport(t.db, { actor, fileName: "people.csv", source: file(text), seatLimit });
  }

  async function ok(actor: Person, text: string, seatLimit = BIG): Promise<ImportPreview> {
    const p = await preview(actor, text, seatLimit);
    if (!p.ok) throw new Error(p.error);
    return p;
  }

  function lines(p: ImportPreview) {
    return p.errors.map((r) => [r.line, r.problems.map((x) => `${x.column}: ${x.problem}`)]);
  }

  /** Confirms a preview of more than `jobAbove` rows as admin: the answer, which names its job. */
  async function startJob(importId: string, jobAbove: number) {
    const started = await applyImport(t.db, {
      actor: asActor(admin),
      importId,
      seatLimit: BIG,
      jobAbove,
    });
    if (!started.ok || !started.job) throw new Error("no job");
    return { ...started, job: started.job };
  }

  async function usersWith(emails: string[]) {
    return queryRows<{ id: string; name: string; email: string; role: string; status: string }>(
      t.db,
      sql`select id, name, email, role, status from users
          where lower(email) in (select lower(value) from json_array_elements_text(${JSON.stringify(emails)}::json))
          order by lower(email)`,
    );
  }

  it("reads a BOM, semicolons, quoted fields, CRLF and headers in any case; formulas stay text", async () => {
    const k = tag();
    const text = `\uFEFFE-Mail-Ignored;EMAIL;Name;ROLE;Status\r\n;ada.${k}@example.test;"Lovelace; Ada";member;\r\n;bob.${k}@example.test;"=HYPERLINK(""http://x"")";Support;PENDING\r\n;cy.${k}@example.test;"Two\r\nlines";member;invited\r\n`;
    const before = await snapshot(t.db);
    const p = await ok(asActor(admin), text);
    expect(await snapshot(t.db)).toEqual(before);
    expect(p.errorCount).toBe(0);
    expect(p.create).toEqual({ invited: 2, pending: 1 });
    expect(p.willCreate.map((r) => [r.line, r.email, r.name, r.role, r.status])).toEqual([
      [2, `ada.${k}@example.test`, "Lovelace; Ada", "member", "invited"],
      [3, `bob.${k}@example.test`, '=HYPERLINK("http://x")', "support", "pending"],
      [4, `cy.${k}@example.test`, "Two\nlines", "member", "invited"],
    ]);
    const r = await applyImport(t.db, {
      actor: asActor(admin),
      importId: p.importId,
      seatLimit: BIG,
    });
    expect(r).toMatchObject({ ok: true, done: 3, invited: 2, pending: 1 });
    const made = await usersWith([`ada.${k}@example.test`, `bob.${k}@example.test`]);
    expect(made.map((u) => [u.name, u.role, u.status])).toEqual([
      ["Lovelace; Ada", "member", "invited"],
      ['=HYPERLINK("http://x")', "support", "pending"],
    ]);
  });

  it("shows each bad row's line, column, problem and fix, and applies only the good rows", async () => {
    const k = tag();
    const good = `good.${k}@example.test`;
    const text = [
      "email,name,role,status",
      `${good},Good One,member,`,
      "not-an-address,Bad Email,member,invited",
      `role.${k}@example.test,Unknown Role,wizard,invited`,
      `high.${k}@example.test,Too High,admin,invited`,
      `status.${k}@example.test,Bad Status,member,active`,
      `${good.toUpperCase()},Twice,member,invited`,
      `${inactive.email.toUpperCase()},Known,member,invited`,
      `,No Email,member,`,
    ].join("\n");
    const p = await ok(asActor(admin), text);
    expect(lines(p)).toEqual([
      [3, ["email: Not a valid email address."]],
      [4, ["role: Not a role."]],
      [5, ["role: Admin is not below your own role."]],
      [6, ["status: Not a status an import can give."]],
      [7, ["email: Also on line 2."]],
      [9, ["email: No email address."]],
    ]);
    expect(p.errors.every((r) => r.problems.every((x) => x.fix.length > 0))).toBe(true);
    expect(p.skipped.map((r) => [r.line, r.problems[0]?.problem, r.user?.id])).toEqual([
      [8, "Already a user, on the Inactive tab.", inactive.id],
    ]);
    expect(p.create).toEqual({ invited: 1, pending: 0 });
    const r = await applyImport(t.db, {
      actor: asActor(admin),
      importId: p.importId,
      seatLimit: BIG,
    });
    expect(r).toMatchObject({ ok: true, done: 1, skipped: 1, errors: 6 });
    expect((await usersWith([good])).map((u) => u.name)).toEqual(["Good One"]);
  });

  it("support may create members only", async () => {
    const k = tag();
    const p = await ok(
      asActor(support),
      `email,name,role\nm.${k}@example.test,M,member\ns.${k}@example.test,S,support\n`,
    );
    expect(lines(p)).toEqual([[3, ["role: Support is not below your own role."]]]);
    expect(p.create.invited).toBe(1);
  });

  it("refuses a whole file it can't read, and leaves nothing behind", async () => {
    const before = await snapshot(t.db);
    const imports = async () =>
      (await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from csv_import_rows`))[0]
        ?.n;
    const rowsBefore = await imports();
    const refusals: [string, string | RegExp][] = [
      ["email,name\na@b.test,A\n", /Line 1: no “role” column/],
      ["email,name,role\n", IMPORT_MESSAGES.empty],
      ["", /That file is empty/],
      ['email,name,role\n"a@b.test,A,member\nx,y,z\n', /a quoted field isn't closed properly/],
      ["email,email,name,role\n", /named twice/],
    ];
    for (const [text, message] of refusals) {
      const p = await preview(asActor(admin), text);
      expect(p.ok).toBe(false);
      if (!p.ok) expect(p.error).toMatch(message);
    }
    const latin1 = [new Uint8Array([0x65, 0x6d, 0x61, 0x69, 0x6c, 0x0a, 0xe9, 0x0a])];
    const p = await previewImport(t.db, {
      actor: asActor(admin),
      fileName: "x.csv",
      source: latin1,
      seatLimit: BIG,
    });
    expect(p).toMatchObject({ ok: false, error: expect.stringMatching(/isn't UTF-8/) });
    const big = (async function* () {
      const chunk = new TextEncoder().encode(`${"x".repeat(1023)}\n`);
      yield new TextEncoder().encode("email,name,role\n");
      for (let i = 0; i <= IMPORT_MAX_BYTES / 1024; i++) yield chunk;
    })();
    const tooBig = await previewImport(t.db, {
      actor: asActor(admin),
      fileName: "big.csv",
      source: big,
      seatLimit: BIG,
    });
    expect(tooBig).toEqual({ ok: false, error: IMPORT_MESSAGES.tooLarge });
    expect(await snapshot(t.db)).toEqual(before);
    expect(await imports()).toBe(rowsBefore);
  });

  it("writes an audit event per user, an invitation and email for invited ones, none for pending", async () => {
    const k = tag();
    const [a, b] = [`inv.${k}@example.test`, `pend.${k}@example.test`];
    const p = await ok(
      asActor(admin),
      `email,name,role,status\n${a},A,member,invited\n${b},B,member,pending\n`,
    );
    const r = await applyImport(t.db, {
      actor: asActor(admin),
      importId: p.importId,
      seatLimit: BIG,
      requestId: "req-import",
    });
    expect(r.ok).toBe(true);
    const made = await usersWith([a, b]);
    const audit = await queryRows<{
      target_id: string;
      action: string;
      actor_id: string;
      to_status: string;
      request_id: string;
    }>(
      t.db,
      sql`select target_id, action, actor_id, to_status, request_id from audit_events
          where target_id in (${sql.join(
            made.map((u) => sql`${u.id}::uuid`),
            sql`, `,
          )}) order by to_status::text`,
    );
    expect(audit.map((e) => [e.action, e.actor_id, e.to_status, e.request_id])).toEqual([
      [IMPORT_JOB, admin.id, "invited", "req-import"],
      [IMPORT_JOB, admin.id, "pending", "req-import"],
    ]);
    const invitations = await queryRows<{ email: string }>(
      t.db,
      sql`select u.email from invitations i join users u on u.id = i.user_id
          where u.id in (${sql.join(
            made.map((u) => sql`${u.id}::uuid`),
            sql`, `,
          )})`,
    );
    expect(invitations.map((i) => i.email)).toEqual([a]);
    const mail = await queryRows<{ to_email: string }>(
      t.db,
      sql`select to_email from outbox where lower(to_email) in (${a}, ${b})`,
    );
    expect(mail.map((m) => m.to_email)).toEqual([a]);
  });

  it("re-importing the same file changes nothing; an import applies once", async () => {
    const k = tag();
    const text = `email,name,role\nonce.${k}@example.test,Once,member\nTWICE.${k}@example.test,Twice,member\n`;
    const first = await ok(asActor(admin), text);
    expect(
      await applyImport(t.db, { actor: asActor(admin), importId: first.importId, seatLimit: BIG }),
    ).toMatchObject({ ok: true, done: 2 });
    const again = await applyImport(t.db, {
      actor: asActor(admin),
      importId: first.importId,
      seatLimit: BIG,
    });
    expect(again).toEqual({ ok: false, error: IMPORT_MESSAGES.expired });
    const before = await snapshot(t.db);
    const second = await ok(asActor(admin), text.replace(`once.${k}`, `ONCE.${k}`));
    expect(second.create).toEqual({ invited: 0, pending: 0 });
    expect(second.skipped.map((r) => r.problems[0]?.problem)).toEqual([
      "Already a user, on the Active tab.",
      "Already a user, on the Active tab.",
    ]);
    expect(
      await applyImport(t.db, { actor: asActor(admin), importId: second.importId, seatLimit: BIG }),
    ).toMatchObject({ ok: true, done: 0, skipped: 2 });
    const after = await snapshot(t.db);
    expect(after).toEqual(before);
  });

  it("another admin's import, or one whose plan changed since its preview, applies nothing", async () => {
    const k = tag();
    const p = await ok(
      asActor(admin),
      `email,name,role\nx.${k}@example.test,X,member\ny.${k}@example.test,Y,member\n`,
    );
    expect(
      await applyImport(t.db, { actor: asActor(support), importId: p.importId, seatLimit: BIG }),
    ).toEqual({ ok: false, error: IMPORT_MESSAGES.expired });
    await addUser(t.db, { email: `Y.${k}@example.test` });
    const before = await snapshot(t.db);
    const r = await applyImport(t.db, {
      actor: asActor(admin),
      importId: p.importId,
      seatLimit: BIG,
    });
    expect(r).toEqual({ ok: false, conflict: true, error: PLAN_CHANGED });
    expect(await snapshot(t.db)).toEqual(before);
    // The new plan is the one shown next; confirming it applies it.
    const r2 = await applyImport(t.db, {
      actor: asActor(admin),
      importId: p.importId,
      seatLimit: BIG,
    });
    expect(r2).toMatchObject({ ok: true, done: 1, skipped: 1 });
  });

  it("a large import runs as a job: batch by batch, once, skipping what was taken or has no seat", async () => {
    const k = tag();
    const emails = Array.from({ length: 5 }, (_, i) => `job${i}.${k}@example.test`);
    const text = [
      "email,name,role,status",
      ...emails.map((e, i) => `${e},Job ${i},member,${i === 4 ? "pending" : "invited"}`),
      `${inactive.email},Known,member,`,
      "bad,Bad,member,",
    ].join("\n");
    const p = await ok(asActor(admin), text);
    const started = await startJob(p.importId, 2);
    expect(started).toMatchObject({ done: 0, skipped: 1, errors: 1, job: { total: 5 } });
    expect(
      await applyImport(t.db, { actor: asActor(admin), importId: p.importId, seatLimit: BIG }),
    ).toEqual({ ok: false, error: IMPORT_MESSAGES.expired });
    const jobId = started.job.id;
    const step = (seats: number) =>
      runNewUsersBatch(t.db, jobId, { seatLimit: async () => seats, batchSize: 2 });
    expect(await step(BIG)).toBe("more");
    expect((await usersWith(emails)).map((u) => u.email)).toEqual(emails.slice(0, 2));
    // Meanwhile: someone adds job2 themselves, and the seats nearly run out.
    await addUser(t.db, { email: emails[2] as string, status: "pending" });
    const [{ used }] = (await queryRows<{ used: number }>(
      t.db,
      sql`select count(*)::int as used from users where status in ('invited', 'active')`,
    )) as [{ used: number }];
    // One seat free: job2 takes it and finds its address taken; job3 finds none left.
    expect(await step(used + 1)).toBe("more");
    expect(await step(used + 1)).toBe("finished");
    expect(await step(used + 1)).toBe("finished");
    const made = await usersWith(emails);
    expect(made.map((u) => [u.email, u.status])).toEqual([
      [emails[0], "invited"],
      [emails[1], "invited"],
      [emails[2], "pending"],
      [emails[4], "pending"],
    ]);
    const [job] = await queryRows<{
      status: string;
      done: number;
      skipped: number;
      cursor: number;
      total: number;
      skipped_by_reason: unknown;
    }>(
      t.db,
      sql`select status, done, skipped, cursor, total, skipped_by_reason from jobs where id = ${jobId}::uuid`,
    );
    expect(job).toEqual({
      status: "done",
      done: 3,
      skipped: 2,
      cursor: 5,
      total: 5,
      skipped_by_reason: { conflict: 1, seat: 1 },
    });
    const audit = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from audit_events where job_id = ${jobId}::uuid and action = ${IMPORT_JOB}`,
    );
    expect(audit[0]?.n).toBe(3);
    const left = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from csv_import_rows where import_id = ${p.importId}::uuid`,
    );
    expect(left[0]?.n).toBe(0);
  });

  it("a job without a fixed batch size keeps the next one in its params, and creates every row once", async () => {
    const k = tag();
    const emails = Array.from({ length: 4 }, (_, i) => `sized${i}.${k}@example.test`);
    const p = await ok(
      asActor(admin),
      [
        "email,name,role,status",
        ...emails.map((e, i) => `${e},Sized,member,${i % 2 ? "pending" : "invited"}`),
      ].join("\n"),
    );
    const started = await startJob(p.importId, 1);
    expect(await runNewUsersBatch(t.db, started.job.id, { seatLimit: async () => BIG })).toBe(
      "finished",
    );
    const [job] = await queryRows<{ size: number; done: number }>(
      t.db,
      sql`select (params->>'batchSize')::int as size, done from jobs where id = ${started.job.id}::uuid`,
    );
    expect(job?.done).toBe(4);
    expect(job?.size).toBeGreaterThanOrEqual(250);
    expect(job?.size).toBeLessThanOrEqual(10_000);
    expect((await usersWith(emails)).map((u) => u.email)).toEqual(emails);
    const [sent] = await queryRows<{ invitations: number; emails: number }>(
      t.db,
      sql`select (select count(*)::int from invitations i join users u on u.id = i.user_id
                  where u.email like ${`sized%.${k}@example.test`}) as invitations,
            (select count(*)::int from outbox where kind = 'invitation'
              and to_email like ${`sized%.${k}@example.test`}) as emails`,
    );
    expect(sent).toEqual({ invitations: 2, emails: 2 });
    // Each email's link (its token made while the batch's insert ran) is that person's invitation.
    const mail = await queryRows<{ body: string; sealed_token: string; token_hash: string }>(
      t.db,
      sql`select o.body, o.sealed_token, i.token_hash from outbox o
          join invitations i on i.user_id = o.user_id
          where o.kind = 'invitation' and o.to_email like ${`sized%.${k}@example.test`}
          order by o.to_email`,
    );
    const tokens = mail.map(
      (m) =>
        renderBody(m.body, m.sealed_token, resolveAuthSecret()).match(
          /\/invite\/([A-Za-z0-9_-]{43})/,
        )?.[1] ?? "",
    );
    expect(tokens.map(hashToken)).toEqual(mail.map((m) => m.token_hash));
    expect(new Set(tokens).size).toBe(2);
    expect(
      await acceptInvitation(t.db, {
        token: tokens[0] as string,
        password: "a good password",
        seatLimit: BIG,
      }),
    ).toEqual({ ok: true, email: emails[0] });
  });

  it("a job's staged rows outlive the preview's hour while it is open", async () => {
    const k = tag();
    const emails = Array.from({ length: 3 }, (_, i) => `late${i}.${k}@example.test`);
    const p = await ok(
      asActor(admin),
      ["email,name,role", ...emails.map((e) => `${e},Late,member`)].join("\n"),
    );
    const started = await startJob(p.importId, 1);
    // Two hours later (the runner was down), someone previews another file: expired previews go.
    const later = new Date(Date.now() + 2 * 60 * 60_000);
    await previewImport(t.db, {
      actor: asActor(admin),
      fileName: "other.csv",
      source: file(`email,name,role\nother.${k}@example.test,Other,member`),
      seatLimit: BIG,
      now: later,
    });
    const jobId = started.job.id;
    expect(await runNewUsersBatch(t.db, jobId, { seatLimit: async () => BIG, now: later })).toBe(
      "finished",
    );
    expect((await usersWith(emails)).map((u) => u.email)).toEqual(emails);
  });

  it("invited rows past the free seats are errors (pending ones need none)", async () => {
    const k = tag();
    const [{ n }] = (await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from users where status in ('invited', 'active')`,
    )) as [{ n: number }];
    const p = await ok(
      asActor(admin),
      `email,name,role,status\na.${k}@example.test,A,member,invited\nb.${k}@example.test,B,member,invited\nc.${k}@example.test,C,member,pending\n`,
      n + 1,
    );
    expect(lines(p)).toEqual([[3, ["status: No seat left for another invited user."]]]);
    expect(p.create).toEqual({ invited: 1, pending: 1 });
    expect(p.seats).toEqual({ needed: 1, free: 1 });
  });

  it("the CSV export neutralises formula cells the import stored as text", async () => {
    const k = tag();
    const p = await ok(
      asActor(admin),
      `email,name,role,status\nf.${k}@example.test,=1+2,member,pending\n`,
    );
    await applyImport(t.db, { actor: asActor(admin), importId: p.importId, seatLimit: BIG });
    const view = parseUsersView({ tab: "pending", q: `f.${k}` });
    const text = await new Response(usersCsvStream(t.db, view)).text();
    expect(text).toContain("'=1+2");
    expect(text).not.toMatch(/(^|,)"?=1\+2/m);
  });
});

describe("a job's next batch size", () => {
  it("moves toward the time a batch should take, at most ×2 or ÷2 a step, within its bounds", () => {
    expect(nextBatchSize(1000, 400)).toBe(1000);
    expect(nextBatchSize(1000, 50)).toBe(2000);
    expect(nextBatchSize(1000, 300)).toBe(1333);
    expect(nextBatchSize(1000, 5000)).toBe(500);
    expect(nextBatchSize(8000, 10)).toBe(10_000);
    expect(nextBatchSize(300, 5000)).toBe(250);
  });
});
