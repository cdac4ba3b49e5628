import { sql } from "drizzle-orm";
import type { Transport } from "nodemailer";
import nodemailer from "nodemailer";
import { describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { outbox } from "@/db/schema";
import { TEST_DRIVERS } from "@/db/testing";
import { useTestDatabase } from "@/db/testing-hooks";
import { linkify, listOutbox } from "./mailbox";
import { deliverDueEmails, type MailTransport, retryDelayMs, senderAddress } from "./outbox";

type Delivered = { to: string; subject: string; text: string };

/**
 * A real nodemailer Transporter over a custom transport: it fails while `failures` says so, then
 * records what it delivers.
 */
function fakeSmtp(plan: { failures: number; delayMs?: number }) {
  const delivered: Delivered[] = [];
  let calls = 0;
  const transport: Transport<{ ok: true }> = {
    name: "fake",
    version: "1",
    send(mail, callback) {
      calls++;
      const { to, subject, text } = mail.data as { to: string; subject: string; text: string };
      setTimeout(() => {
        if (plan.failures > 0) {
          plan.failures--;
          callback(new Error("421 Service not available, try again later"), { ok: true });
          return;
        }
        delivered.push({ to, subject, text });
        callback(null, { ok: true });
      }, plan.delayMs ?? 0);
    },
  };
  const transporter: MailTransport = nodemailer.createTransport(transport);
  return { transporter, delivered, calls: () => calls };
}

describe.each(TEST_DRIVERS)("outbox delivery on %s", (driver) => {
  const t = useTestDatabase(driver);

  async function queue(to: string, at: Date): Promise<number> {
    const [row] = await t.db
      .insert(outbox)
      .values({
        toEmail: to,
        subject: `Hello ${to}`,
        body: "Open https://roster.example/invite/abc to join.",
        kind: "invitation",
        createdAt: at,
        nextAttemptAt: at,
      })
      .returning({ id: outbox.id });
    if (!row) throw new Error("insert failed");
    return row.id;
  }

  async function row(id: number) {
    const [r] = await queryRows<{
      sent_at: Date | null;
      attempts: number;
      last_error: string | null;
      next_attempt_at: Date;
    }>(
      t.db,
      sql`select sent_at, attempts, last_error, next_attempt_at from outbox where id = ${id}`,
    );
    return r;
  }

  async function unsentCount(): Promise<number> {
    const [r] = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from outbox where sent_at is null`,
    );
    return Number(r?.n);
  }

  it("retries a failed email after a backoff and delivers it exactly once", async () => {
    const start = new Date("2030-01-01T00:00:00Z");
    const id = await queue("retry@example.test", start);
    const smtp = fakeSmtp({ failures: 1 });

    expect(await deliverDueEmails(t.db, smtp.transporter, start)).toEqual({ sent: 0, failed: 1 });
    const failed = await row(id);
    expect(failed?.sent_at).toBeNull();
    expect(failed?.attempts).toBe(1);
    expect(failed?.last_error).toContain("421 Service not available");
    expect(new Date(failed!.next_attempt_at).getTime()).toBe(start.getTime() + 60_000);

    // Not due yet: nothing is tried.
    const early = new Date(start.getTime() + 30_000);
    expect(await deliverDueEmails(t.db, smtp.transporter, early)).toEqual({ sent: 0, failed: 0 });
    expect(smtp.calls()).toBe(1);

    const due = new Date(start.getTime() + 60_000);
    expect(await deliverDueEmails(t.db, smtp.transporter, due)).toEqual({ sent: 1, failed: 0 });
    const sent = await row(id);
    expect(new Date(sent!.sent_at!).getTime()).toBe(due.getTime());
    expect(sent?.attempts).toBe(2);
    expect(sent?.last_error).toBeNull();

    // Later polls never send it again.
    const later = new Date(start.getTime() + 30 * 24 * 60 * 60_000);
    expect(await deliverDueEmails(t.db, smtp.transporter, later)).toEqual({ sent: 0, failed: 0 });
    expect(smtp.delivered).toEqual([
      {
        to: "retry@example.test",
        subject: "Hello retry@example.test",
        text: "Open https://roster.example/invite/abc to join.",
      },
    ]);
    expect(smtp.calls()).toBe(2);
  });

  it("never loses an email: it keeps retrying, backing off up to a cap", async () => {
    const start = new Date("2031-01-01T00:00:00Z");
    const id = await queue("down@example.test", start);
    const smtp = fakeSmtp({ failures: Number.POSITIVE_INFINITY });
    let now = start;
    const gaps: number[] = [];
    for (let i = 0; i < 12; i++) {
      expect(await deliverDueEmails(t.db, smtp.transporter, now)).toEqual({ sent: 0, failed: 1 });
      const next = new Date((await row(id))!.next_attempt_at);
      gaps.push((next.getTime() - now.getTime()) / 60_000);
      now = next;
    }
    expect(gaps).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 360, 360, 360]);
    expect(await row(id)).toMatchObject({ sent_at: null, attempts: 12 });
    expect(smtp.delivered).toHaveLength(0);
    expect(retryDelayMs(1000)).toBe(6 * 60 * 60_000);

    // The server comes back: it goes out.
    const back = fakeSmtp({ failures: 0 });
    expect(await deliverDueEmails(t.db, back.transporter, now)).toEqual({ sent: 1, failed: 0 });
    expect(back.delivered.map((d) => d.to)).toEqual(["down@example.test"]);
  });

  it("senders running at once deliver every email exactly once", async () => {
    const at = new Date("2032-01-01T00:00:00Z");
    const addresses = Array.from({ length: 25 }, (_, i) => `many-${i}@example.test`);
    for (const to of addresses) await queue(to, at);
    const smtp = fakeSmtp({ failures: 0, delayMs: 5 });
    const sender = async () => {
      let total = 0;
      for (;;) {
        const { sent } = await deliverDueEmails(t.db, smtp.transporter, at, { batchSize: 4 });
        if (!sent) return total;
        total += sent;
      }
    };
    const totals = await Promise.all([sender(), sender(), sender()]);
    expect(totals.reduce((a, b) => a + b, 0)).toBe(25);
    expect(smtp.delivered.map((d) => d.to).sort()).toEqual([...addresses].sort());
    expect(await unsentCount()).toBe(0);
  });

  it("a claimed email is not picked again while its sender may still be sending", async () => {
    const at = new Date("2033-01-01T00:00:00Z");
    const id = await queue("claimed@example.test", at);
    // A sender claims it and then dies before recording anything.
    await t.db.execute(
      sql`update outbox set attempts = 1, next_attempt_at = ${new Date(at.getTime() + 10 * 60_000).toISOString()}::timestamptz where id = ${id}`,
    );
    const smtp = fakeSmtp({ failures: 0 });
    expect(await deliverDueEmails(t.db, smtp.transporter, at)).toEqual({ sent: 0, failed: 0 });
    const afterLease = new Date(at.getTime() + 10 * 60_000);
    expect(await deliverDueEmails(t.db, smtp.transporter, afterLease)).toEqual({
      sent: 1,
      failed: 0,
    });
    expect(await row(id)).toMatchObject({ attempts: 2 });
  });

  it("lists the mailbox newest first, a page at a time", async () => {
    const all = await listOutbox(t.db, { page: 1, size: 1000 });
    expect(all.total).toBeGreaterThan(5);
    const times = all.emails.map((e) => new Date(e.createdAt).getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const second = await listOutbox(t.db, { page: 2, size: 5 });
    expect(second.emails.map((e) => e.id)).toEqual(all.emails.slice(5, 10).map((e) => e.id));
    expect(second.pages).toBe(Math.ceil(all.total / 5));
    const beyond = await listOutbox(t.db, { page: 999, size: 5 });
    expect(beyond.page).toBe(second.pages);
  });

  it("finds emails by recipient, taking % and _ literally", async () => {
    const found = await listOutbox(t.db, { page: 1, to: "  RETRY@example " });
    expect(found.emails.map((e) => e.toEmail)).toEqual(["retry@example.test"]);
    expect((await listOutbox(t.db, { page: 1, to: "many-1" })).total).toBe(11);
    expect((await listOutbox(t.db, { page: 1, to: "many_1" })).total).toBe(0);
    expect((await listOutbox(t.db, { page: 1, to: "%" })).total).toBe(0);
  });
});

describe("mail helpers", () => {
  it("makes links clickable and keeps the rest as text", () => {
    expect(linkify("Open https://x.test/invite/a_b-c to join.\nBye")).toEqual([
      { at: 0, text: "Open " },
      { at: 5, text: "https://x.test/invite/a_b-c", href: "https://x.test/invite/a_b-c" },
      { at: 32, text: " to join.\nBye" },
    ]);
    expect(linkify("javascript:alert(1)")).toEqual([{ at: 0, text: "javascript:alert(1)" }]);
  });

  it("sends from the SMTP user when it is an address, else from no-reply at the host", () => {
    expect(senderAddress("smtps://team%40acme.test:pw@smtp.acme.test:465")).toBe(
      "Roster <team@acme.test>",
    );
    expect(senderAddress("smtp://apikey:pw@smtp.mail.test:587")).toBe(
      "Roster <no-reply@smtp.mail.test>",
    );
  });
});
