import { describe, expect, it } from "vitest";
import { AUDIT_DEFAULTS, auditViewQuery, isBadRange, parseAuditView } from "./view";

describe("crafted audit URLs", () => {
  it.each([
    ["actor=%00", { actor: "" }],
    ["target=x%00y", { target: "" }],
    ["actor=id:not-a-uuid", { actor: "" }],
    ["target=id%3A%27%3B%20drop", { target: "" }],
    ["action=%00", { action: "" }],
    ["from=2024-99-99", { from: null }],
    ["to=0000-01-01", { to: null }],
    ["from=2023-02-29", { from: null }],
    ["cursor=%00", { cursor: null }],
  ])("%s falls back to the default", (query, expected) => {
    expect(parseAuditView(new URLSearchParams(query))).toMatchObject(expected);
  });

  it("leaves a crafted value out of the links it writes", () => {
    expect(auditViewQuery(parseAuditView(new URLSearchParams("actor=%00&from=0000-01-01")))).toBe(
      "",
    );
  });

  it("tells a From after To", () => {
    expect(isBadRange({ from: "2024-05-02", to: "2024-05-01" })).toBe(true);
    expect(isBadRange({ from: "2024-05-01", to: "2024-05-01" })).toBe(false);
    expect(isBadRange(AUDIT_DEFAULTS)).toBe(false);
  });
});
