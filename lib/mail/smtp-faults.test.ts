import { execFileSync } from "node:child_process";
import { createServer, type Server, type Socket } from "node:net";
import { sql } from "drizzle-orm";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import { resolveAuthSecret } from "@/lib/env";
import { createInvitations, inspectInvitation } from "@/lib/users/invitations";
import { addUsers } from "@/lib/users/testing/fixtures";
import { deliverDueEmails } from "./outbox";

type Received = { to: string; data: string };

/**
 * A tiny SMTP server on 127.0.0.1: it refuses (550 after DATA, the message fully sent) while
 * `refuse` says so for that recipient, then accepts (250) and records the message.
 */
async function startSmtp(refuse: (to: string, attempt: number) => boolean) {
  const received: Received[] = [];
  const attempts = new Map<string, number>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    let buffer = "";
    let inData = false;
    let data = "";
    let to = "";
    socket.write("220 roster-test ESMTP\r\n");
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      for (;;) {
        if (inData) {
          const end = buffer.indexOf("\r\n.\r\n");
          if (end < 0) return;
          data += buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          inData = false;
          const n = (attempts.get(to) ?? 0) + 1;
          attempts.set(to, n);
          if (refuse(to, n)) {
            socket.write("550 5.7.1 Message refused\r\n");
          } else {
            received.push({ to, data });
            socket.write("250 2.0.0 Queued\r\n");
          }
          continue;
        }
        const eol = buffer.indexOf("\r\n");
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO" || verb === "HELO") socket.write("250 roster-test\r\n");
        else if (verb === "MAIL") socket.write("250 OK\r\n");
        else if (verb === "RCPT") {
          to = /<([^>]*)>/.exec(line)?.[1] ?? "";
          socket.write("250 OK\r\n");
        } else if (verb === "DATA") {
          inData = true;
          data = "";
          socket.write("354 Go ahead\r\n");
        } else if (verb === "RSET" || verb === "NOOP") socket.write("250 OK\r\n");
        else if (verb === "QUIT") {
          socket.end("221 Bye\r\n");
          return;
        } else socket.write("502 Not implemented\r\n");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const transport = nodemailer.createTransport({
    host: "127.0.0.1",
    port,
    secure: false,
    ignoreTLS: true,
    connectionTimeout: 5_000,
    socketTimeout: 5_000,
  });
  return {
    transport,
    received,
    close: async () => {
      transport.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function unfold(data: string): string {
  // Quoted-printable soft line breaks and =3D, as nodemailer writes long lines.
  return data.replace(/=\r\n/g, "").replace(/=3D/g, "=");
}

describe.each(TEST_DRIVERS)("email through a refusing SMTP server on %s", (driver) => {
  let t: TestDatabase;
  let adminId: string;

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    const [admin] = await addUsers(t.db, [{ role: "admin", name: "Adam Admin" }]);
    adminId = admin?.id as string;
  });
  afterAll(async () => {
    await t?.close();
  });

  it("loses no email while the server refuses, and keeps no usable token once sent", async () => {
    const people = await addUsers(
      t.db,
      Array.from({ length: 12 }, () => ({ status: "invited" as const })),
    );
    const start = new Date("2030-06-01T00:00:00Z");
    await t.db.transaction((tx) =>
      createInvitations(tx, {
        userIds: people.map((p) => p.id),
        createdBy: adminId,
        baseUrl: "https://roster.example",
        now: start,
      }),
    );
    // Every recipient is refused on their first two attempts; every third one on five.
    const smtp = await startSmtp((to, attempt) => {
      const index = people.findIndex((p) => p.email === to);
      return attempt <= (index % 3 === 0 ? 5 : 2);
    });
    try {
      const authSecret = resolveAuthSecret();
      let now = start;
      let refusals = 0;
      for (let round = 0; round < 20; round++) {
        const { failed } = await deliverDueEmails(t.db, smtp.transport, now, { authSecret });
        refusals += failed;
        // Jump past the longest backoff a few attempts can reach.
        now = new Date(now.getTime() + 60 * 60_000);
      }
      expect(refusals).toBe(4 * 5 + 8 * 2);
      // Every email delivered exactly once, none left behind.
      expect(smtp.received.map((r) => r.to).sort()).toEqual(people.map((p) => p.email).sort());
      const [left] = await queryRows<{ unsent: number; sealed: number }>(
        t.db,
        sql`select count(*) filter (where sent_at is null)::int as unsent,
              count(*) filter (where sealed_token is not null)::int as sealed
            from outbox`,
      );
      expect(left).toEqual({ unsent: 0, sealed: 0 });

      // The links that went out work; the database holds none of them.
      const tokens = smtp.received.map((r) => {
        const match = /\/invite\/([A-Za-z0-9_-]{43})/.exec(unfold(r.data));
        if (!match?.[1]) throw new Error(`no link in ${r.data}`);
        return match[1];
      });
      for (const token of tokens) {
        expect((await inspectInvitation(t.db, token, start)).state).toBe("valid");
      }
      const [found] = await queryRows<{ n: number }>(
        t.db,
        sql`select count(*)::int as n from outbox o, jsonb_array_elements_text(${JSON.stringify(tokens)}::jsonb) tok
            where strpos(o.body || coalesce(o.sealed_token, ''), tok) > 0
               or strpos(coalesce(o.last_error, ''), tok) > 0`,
      );
      expect(found?.n).toBe(0);
      if (t.url) {
        const dump = execFileSync("pg_dump", ["--data-only", t.url], {
          encoding: "utf8",
          maxBuffer: 64 * 1024 * 1024,
        });
        expect(tokens.filter((token) => dump.includes(token))).toEqual([]);
        expect(dump).toContain("/invite/{invitation-token}");
      }
    } finally {
      await smtp.close();
    }
  });
});
