import { existsSync, readFileSync } from "node:fs";
import { parseCsv } from "../lib/testing/parse-csv";
import { expect, signIn, test } from "./fixtures";
import { allServers, ownServer } from "./servers";

/**
 * Runs last in its worker (a worker takes files in file-name order): the servers' JSON logs of
 * the whole run so far (ROSTER_LOG_FILE, set per server in playwright.config.ts) hold no email
 * and no name of any user of their workspaces. The people are read from the CSV export of every
 * tab of every server. Another worker's server may still be writing its log: its last line is
 * read only once complete.
 */
test("the server's log of the run holds no user's email or name", async ({ browser }) => {
  const servers = allServers();
  const people = new Set<string>();
  for (const server of servers) {
    // playwright.config.ts always gives each server this log file: its absence is a failure.
    expect(existsSync(server.logFile), `no log file at ${server.logFile}`).toBe(true);
    const context = await browser.newContext({ baseURL: server.origin });
    const page = await context.newPage();
    await signIn(page, "owner@roster.test");
    await page.waitForURL("**/users");
    for (const tab of ["active", "pending", "inactive", "archived", "rejected"]) {
      const res = await page.request.get(`/users/export?tab=${tab}`);
      expect(res.status()).toBe(200);
      const [, ...rows] = parseCsv((await res.text()).replace(/^\uFEFF/, ""));
      for (const [name, email] of rows) {
        if (name) people.add(name);
        if (email) people.add(email.toLowerCase());
      }
    }
    await context.close();
  }
  expect(people.size).toBeGreaterThan(20);
  const complete = (file: string) => {
    const raw = readFileSync(file, "utf8");
    return raw.slice(0, raw.lastIndexOf("\n") + 1);
  };
  const own = ownServer();
  const lines = complete(own.logFile).split("\n").filter(Boolean);
  // A real log: one JSON object a line; this spec's own exports are in it, with the actor's id.
  const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  const exports = parsed.filter(
    (l) => l.msg === "request" && l.route === "/users/export" && l.status === 200,
  );
  expect(exports.length).toBeGreaterThanOrEqual(5);
  expect(
    exports.every((l) => typeof l.requestId === "string" && typeof l.actorId === "string"),
  ).toBe(true);
  const text = servers.map((server) => complete(server.logFile)).join("");
  const lower = text.toLowerCase();
  const found = [...people].filter((p) => lower.includes(p.toLowerCase()));
  expect(found).toEqual([]);
  // Nor any email-looking text, whoever's, nor a password or a session token.
  expect(text.match(/[\w.+-]+@[\w-]+\.[\w.-]+/g) ?? []).toEqual([]);
  expect(lower).not.toContain("roster-demo");
  expect(lower).not.toContain("session-token");
});
