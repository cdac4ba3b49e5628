import { describe, expect, it } from "vitest";
import { actionBodyProblem, jsonDepthExceeds, multipartBodyProblem } from "./action-body";
import { contentSecurityPolicy, securityHeaders, servedOverHttps } from "./headers";

describe("action body check", () => {
  it("refuses JSON that is not a list of arguments", () => {
    for (const body of ["null", "5", "true", '"x"', '{"a":1}']) {
      expect(actionBodyProblem(body), body).toMatch(/list/);
    }
    expect(actionBodyProblem("[]")).toBeNull();
  });

  it("refuses multipart bodies that can't be read, or whose arguments are not a list", async () => {
    const type = "multipart/form-data; boundary=XyZ";
    const part = (name: string, value: string) =>
      `--XyZ\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const enc = (text: string) => new TextEncoder().encode(text);
    expect(
      await multipartBodyProblem(
        enc(`${part("0", '["$K1"]')}${part("1_x", "y")}--XyZ--\r\n`),
        type,
      ),
    ).toBeNull();
    expect(
      await multipartBodyProblem(enc(`${part("email", "a@b.c")}--XyZ--\r\n`), type),
    ).toBeNull();
    expect(await multipartBodyProblem(enc("--XyZ\r\ngarbage"), type)).toMatch(/multipart/);
    expect(await multipartBodyProblem(enc("whatever"), "multipart/form-data")).toMatch(/multipart/);
    expect(await multipartBodyProblem(enc(`${part("0", "null")}--XyZ--\r\n`), type)).toMatch(
      /list/,
    );
    expect(await multipartBodyProblem(enc(`${part("0", "{")}--XyZ--\r\n`), type)).toMatch(/JSON/);
  });

  it("lets what React's client sends through", () => {
    const body = JSON.stringify([
      { selection: { kind: "ids", targets: [] }, reason: "$$5 refund", when: "$D2024-01-01" },
      "$undefined",
      "$n12",
    ]);
    expect(actionBodyProblem(body)).toBeNull();
    expect(actionBodyProblem('["a [ { string ] }", {"k": "\\" ["}]')).toBeNull();
  });

  it("refuses references to parts a plain body can't have, and deep nesting", () => {
    expect(actionBodyProblem('["$B0"]')).toMatch(/parts/);
    expect(actionBodyProblem('[{"x": ["$Q1"]}]')).toMatch(/parts/);
    expect(actionBodyProblem('[{"$K1": 1}]')).toMatch(/parts/);
    expect(actionBodyProblem('["$@0"]')).toMatch(/parts/);
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    expect(actionBodyProblem(deep)).toMatch(/deeply/);
    expect(jsonDepthExceeds(`${"[".repeat(64)}${"]".repeat(64)}`, 64)).toBe(false);
    expect(actionBodyProblem("{not json")).toMatch(/JSON/);
  });
});

describe("security headers", () => {
  it("sets a nonce CSP that forbids framing, and the other headers", () => {
    const h = securityHeaders({ nonce: "abc", dev: false, https: false });
    expect(h["Content-Security-Policy"]).toContain(
      "script-src 'self' 'nonce-abc' 'strict-dynamic'",
    );
    expect(h["Content-Security-Policy"]).toContain("frame-ancestors 'none'");
    expect(h["Content-Security-Policy"]).not.toContain("unsafe-eval");
    expect(h["X-Content-Type-Options"]).toBe("nosniff");
    expect(h["Referrer-Policy"]).toBe("no-referrer");
    expect(h["Permissions-Policy"]).toContain("camera=()");
    expect(h["Strict-Transport-Security"]).toBeUndefined();
    expect(contentSecurityPolicy({ nonce: "n", dev: true, https: false })).toContain("unsafe-eval");
  });

  it("sends HSTS only when served over HTTPS, never on a forwarded header's word", () => {
    expect(servedOverHttps(new URL("http://x/"), "https://roster.example")).toBe(true);
    expect(servedOverHttps(new URL("https://x/"), undefined)).toBe(true);
    expect(servedOverHttps(new URL("http://x/"), "http://localhost:3000")).toBe(false);
    const h = securityHeaders({ nonce: "n", dev: false, https: true });
    expect(h["Strict-Transport-Security"]).toMatch(/max-age=\d{8}/);
    expect(h["Content-Security-Policy"]).toContain("upgrade-insecure-requests");
  });
});
