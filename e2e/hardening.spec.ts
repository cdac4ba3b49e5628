import { request as http } from "node:http";
import { type APIRequestContext, type Page, request } from "@playwright/test";
import fc from "fast-check";
import { parseCsv } from "../lib/testing/parse-csv";
import { TABS } from "../lib/users/view";
import { expect, pageAs, test } from "./fixtures";
import {
  callAction,
  LEAK,
  type ServerAction,
  serverActions,
  workspaceFingerprint,
} from "./server-actions";

// Per action; bench/fuzz-actions.ts runs 1,000 each.
const RUNS = Number(process.env.FUZZ_RUNS ?? 20);
const STATUSES = ["pending", "invited", "active", "inactive", "archived", "rejected"];
const VERBS = [
  "deactivate",
  "reactivate",
  "reinvite",
  "archive",
  "restore",
  "approve",
  "reject",
  "delete",
];

/** Actions the fuzzer may call: all but signing out, which would end its own session. */
function fuzzedActions(): ServerAction[] {
  return serverActions().filter((a) => !/sign.?out/i.test(a.name));
}

type Known = { id: string; status: string };

async function knownUsers(request: APIRequestContext): Promise<Known[]> {
  const users: Known[] = [];
  for (const tab of TABS) {
    const rows = parseCsv(
      (await (await request.get(`/users/export?tab=${tab}`)).text()).replace(/^\uFEFF/, ""),
    );
    const header = rows[0] ?? [];
    const id = header.indexOf("ID");
    const status = header.indexOf("Status");
    for (const row of rows.slice(1)) users.push({ id: row[id] ?? "", status: row[status] ?? "" });
  }
  return users;
}

/**
 * Payloads that must change nothing: wrong types, huge arrays, 1 MB strings, unknown ids, bad
 * dates, unknown keys, and real users named with a status they are not in (stale).
 */
function malformedArgs(known: Known[]) {
  const stale = fc.constantFrom(...known).chain((u) =>
    fc.record({
      id: fc.constant(u.id),
      expectedStatus: fc.constantFrom(...STATUSES.filter((s) => s !== u.status)),
    }),
  );
  const unknown = fc.record({ id: fc.uuid(), expectedStatus: fc.constantFrom(...STATUSES) });
  const target = fc.oneof(stale, unknown, fc.anything());
  const badDate = fc.constantFrom(
    "2024-99-99",
    "0000-01-01",
    "2024-02-30",
    "yesterday",
    "\u0000",
    "",
  );
  const filter = fc.record(
    {
      tab: fc.oneof(fc.constantFrom(...TABS), fc.string()),
      // Matches nobody, so even a filter that parsed too leniently would select no one.
      q: fc.constant(`zz-no-match-${"q".repeat(12)}`),
      lastSignInBefore: badDate,
      accessEnding: fc.oneof(fc.string(), fc.integer()),
      roles: fc.oneof(fc.array(fc.string()), fc.string()),
    },
    { requiredKeys: ["q", "lastSignInBefore"] },
  );
  const selection = fc.oneof(
    fc.record({ kind: fc.constant("ids"), targets: fc.array(target, { maxLength: 30 }) }),
    fc.record({
      kind: fc.constant("ids"),
      targets: fc.array(unknown, { minLength: 1001, maxLength: 1200 }),
    }),
    fc.record({
      kind: fc.constant("filter"),
      filter,
      excludeIds: fc.array(fc.uuid(), { maxLength: 3 }),
    }),
    fc.anything(),
  );
  const input = fc.record(
    {
      action: fc.oneof(fc.constantFrom(...VERBS), fc.string()),
      selection,
      reason: fc.oneof(fc.string(), fc.constant("x".repeat(1024 * 1024)), fc.integer()),
      newOwnerId: fc.oneof(fc.uuid(), fc.string(), fc.constant(null)),
      confirm: fc.oneof(fc.constant("DELETE"), fc.string()),
      notify: fc.oneof(fc.boolean(), fc.string()),
      onConflict: fc.oneof(fc.constantFrom("skip", "abort"), fc.string()),
      extra: fc.anything(),
    },
    { requiredKeys: ["selection"] },
  );
  return fc.array(
    fc.oneof({ weight: 4, arbitrary: input }, fc.anything(), fc.string(), fc.uuid()),
    {
      minLength: 0,
      maxLength: 3,
    },
  );
}

/** React's reply encoding escapes strings that start with "$"; the fuzzer's strings are data. */
function encodeReply(args: unknown): string {
  return JSON.stringify(args, (_key, value: unknown) =>
    typeof value === "string" && value.startsWith("$") ? `$${value}` : value,
  );
}

test.describe("hardening", () => {
  let page: Page;
  test.beforeAll(async ({ browser }) => {
    page = await pageAs(browser, "admin");
  });
  test.afterAll(async () => {
    await page?.context().close();
  });

  test("every page carries the security headers and a fresh CSP nonce", async ({ request }) => {
    const nonces = new Set<string>();
    for (const url of ["/sign-in", "/sign-in", "/invite/not-a-token"]) {
      const res = await request.get(url);
      const h = res.headers();
      const csp = h["content-security-policy"] ?? "";
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}' 'strict-dynamic'/);
      expect(csp).not.toContain("unsafe-eval");
      nonces.add(/'nonce-([^']+)'/.exec(csp)?.[1] ?? "");
      // The page's own scripts carry that nonce.
      expect(await res.text()).toContain(`nonce="${/'nonce-([^']+)'/.exec(csp)?.[1]}"`);
      expect(h["x-frame-options"]).toBe("DENY");
      expect(h["x-content-type-options"]).toBe("nosniff");
      expect(h["referrer-policy"]).toBe("no-referrer");
      expect(h["permissions-policy"]).toContain("camera=()");
      // Served over plain HTTP here: no HSTS (see lib/security/headers.ts).
      expect(h["strict-transport-security"]).toBeUndefined();
    }
    expect(nonces.size).toBe(3);
  });

  test("the console works under the CSP: theme script, dialogs, menus, toasts", async () => {
    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy|Refused to|CSP violation/i.test(m.text())) {
        violations.push(m.text());
      }
    });
    // A violation the page's code catches (Zod's eval probe did) logs nothing by itself, but
    // Chrome still reports it (Lighthouse counts it against best practices): listen for the event.
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) => {
        console.warn(`CSP violation: ${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}`);
      });
    });
    await page.goto("/users?tab=rejected");
    await page.getByRole("button", { name: "Dark theme" }).click();
    await expect(page.locator("html")).toHaveClass(/dark/);
    await page.getByRole("button", { name: "Light theme" }).click();
    const row = page.getByRole("row").filter({ hasText: "Noah Garcia" });
    await row.getByRole("button", { name: /actions/i }).click();
    await expect(page.getByRole("menu")).toBeVisible();
    await page.keyboard.press("Escape");
    // A framing page can't show the console.
    const framed = await page.evaluate(async () => {
      const frame = document.createElement("iframe");
      frame.src = "/users";
      document.body.append(frame);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      let readable = false;
      try {
        readable = Boolean(frame.contentDocument?.querySelector("table"));
      } catch {
        readable = false;
      }
      frame.remove();
      return readable;
    });
    expect(framed).toBe(false);
    expect(violations.filter((v) => !/frame-ancestors/.test(v))).toEqual([]);
  });

  test("undecodable action requests are refused with a 4xx before the framework", async () => {
    const actions = serverActions();
    expect(actions.length).toBeGreaterThan(3);
    const action = actions.find((a) => a.url.startsWith("/users")) as ServerAction;
    const origin = new URL(page.url()).origin;
    const before = await workspaceFingerprint(page.request);

    const foreign = await callAction(page.request, action, "[{}]", {
      origin: "http://evil.example",
    });
    expect(foreign.status()).toBe(403);
    const nullOrigin = await callAction(page.request, action, "[{}]", { origin: "null" });
    expect(nullOrigin.status()).toBe(403);
    const big = await callAction(
      page.request,
      action,
      JSON.stringify(["x".repeat(1024 * 1024 + 10)]),
      { origin },
    );
    expect(big.status()).toBe(413);
    const blob = await callAction(page.request, action, '["$B0"]', { origin });
    expect(blob.status()).toBe(400);
    // JSON that is no list of arguments, and multipart bodies that can't be read: 400, not 500,
    // signed in and signed out (the sign-in page's action).
    const signInAction = actions.find((a) => a.url === "/sign-in") as ServerAction;
    expect(signInAction).toBeDefined();
    const anonymous = await request.newContext({ baseURL: origin });
    for (const [ctx, target] of [
      [page.request, action],
      [anonymous, signInAction],
    ] as const) {
      for (const body of ["null", "5", "true", '"x"']) {
        expect((await callAction(ctx, target, body, { origin })).status(), body).toBe(400);
      }
      const multipart = await callAction(ctx, target, "--XyZ\r\nnot a part", {
        origin,
        "content-type": "multipart/form-data; boundary=XyZ",
      });
      expect(multipart.status()).toBe(400);
    }
    await anonymous.dispose();
    const deep = await callAction(
      page.request,
      action,
      `${"[".repeat(100_000)}${"]".repeat(100_000)}`,
      { origin },
    );
    expect(deep.status()).toBe(400);

    // A chunked body without a length, over 1 MB.
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    const status = await new Promise<number>((resolve, reject) => {
      const req = http(
        `${origin}${action.url}`,
        {
          method: "POST",
          headers: { "next-action": action.id, "content-type": "text/plain", origin, cookie },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      const chunk = "x".repeat(64 * 1024);
      req.write('["');
      for (let i = 0; i < 20; i++) req.write(chunk);
      req.end('"]');
    });
    expect(status).toBe(413);
    expect(await workspaceFingerprint(page.request)).toBe(before);
  });

  test(`malformed payloads, ${RUNS} per action: no 5xx, no leak, no change`, async () => {
    test.setTimeout(Math.max(120_000, RUNS * 3_000));
    const actions = fuzzedActions();
    const origin = new URL(page.url()).origin;
    const known = await knownUsers(page.request);
    expect(known.length).toBeGreaterThan(50);
    const before = await workspaceFingerprint(page.request);
    const statuses = new Map<number, number>();
    for (const action of actions) {
      await fc.assert(
        fc.asyncProperty(malformedArgs(known), async (args) => {
          const res = await callAction(page.request, action, encodeReply(args), { origin });
          statuses.set(res.status(), (statuses.get(res.status()) ?? 0) + 1);
          const text = await res.text();
          expect(res.status(), `${action.name}: ${text.slice(0, 300)}`).toBeLessThan(500);
          expect(text, action.name).not.toMatch(LEAK);
        }),
        { numRuns: RUNS, endOnFailure: true },
      );
    }
    console.log(
      `fuzz: ${actions.length} actions × ${RUNS}; statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    expect(await workspaceFingerprint(page.request)).toBe(before);
  });
});
