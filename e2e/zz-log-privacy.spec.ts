import { existsSync, readFileSync } from "node:fs";
import { parseCsv } from "../lib/testing/parse-csv";
import { expect, pageAs, test } from "./fixtures";

/**
 * Runs last (specs run in file-name order, one worker): the server's JSON log of the whole run
 * so far (ROSTER_LOG_FILE, set in playwright.config.ts) holds no email and no name of any user
 * of the workspace. The people are read from the CSV export of every tab.
 */
const LOG_FILE = `${process.env.E2E_DATA_DIR ?? ".data-e2e"}/server.log`;

test("the server's log of the run holds no user's email or name", async ({ browser }) => {
  // playwright.config.ts always gives the server this log file: its absence is a failure.
  expect(existsSync(LOG_FILE), `no log file at ${LOG_FILE}`).toBe(true);
  const page = await pageAs(browser, "owner");
  const people = new Set<string>();
  for (const tab of ["active", "pending", "inactive", "archived", "rejected"]) {
    const res = await page.request.get(`/users/export?tab=${tab}`);
    expect(res.status()).toBe(200);
    const [, ...rows] = parseCsv((await res.text()).replace(/^\uFEFF/, ""));
    for (const [name, email] of rows) {
      if (name) people.add(name);
      if (email) people.add(email.toLowerCase());
    }
  }
  expect(people.size).toBeGreaterThan(20);
  const text = readFileSync(LOG_FILE, "utf8");
  const lines = text.split("\n").filter(Boolean);
  // A real log: one JSON object a line; this spec's own exports are in it, with the actor's id.
  const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  const exports = parsed.filter(
    (l) => l.msg === "request" && l.route === "/users/export" && l.status === 200,
  );
  expect(exports.length).toBeGreaterThanOrEqual(5);
  expect(
    exports.every((l) => typeof l.requestId === "string" && typeof l.actorId === "string"),
  ).toBe(true);
  const lower = text.toLowerCase();
  const found = [...people].filter((p) => lower.includes(p.toLowerCase()));
  expect(found).toEqual([]);
  // Nor any email-looking text, whoever's, nor a password or a session token.
  expect(text.match(/[\w.+-]+@[\w-]+\.[\w.-]+/g) ?? []).toEqual([]);
  expect(lower).not.toContain("roster-demo");
  expect(lower).not.toContain("session-token");
});
