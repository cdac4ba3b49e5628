import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_SEATS, readSettings, resolveAuthSecret, SettingsError } from "./env";

describe("settings", () => {
  it("has working defaults with nothing set", () => {
    const s = readSettings({});
    expect(s.databaseUrl).toBeUndefined();
    expect(s.seats).toBe(DEFAULT_SEATS);
    expect(s.dataDir).toBe(path.resolve(".data"));
  });

  it.each([
    ["PORT", "eighty"],
    ["PORT", "70000"],
    ["DATABASE_URL", "mysql://x"],
    ["AUTH_SECRET", "short"],
    ["ROSTER_SEATS", "0"],
    ["ROSTER_SEATS", "lots"],
    ["SMTP_URL", "http://mail"],
  ])("names %s when it is invalid (%s)", (name, value) => {
    expect(() => readSettings({ [name]: value })).toThrowError(SettingsError);
    expect(() => readSettings({ [name]: value })).toThrowError(new RegExp(name));
  });

  it("treats empty strings as unset", () => {
    expect(readSettings({ DATABASE_URL: "", PORT: "" }).databaseUrl).toBeUndefined();
  });

  it("requires AUTH_SECRET with DATABASE_URL", () => {
    const s = readSettings({ DATABASE_URL: "postgres://db/roster" });
    expect(() => resolveAuthSecret(s)).toThrowError(/AUTH_SECRET is required/);
  });

  it("generates and keeps a secret in the data folder on the embedded database", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "roster-env-"));
    const s = readSettings({ ROSTER_DATA_DIR: dir });
    const first = resolveAuthSecret(s);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(resolveAuthSecret(s)).toBe(first);
    expect(readFileSync(path.join(dir, "auth-secret"), "utf8").trim()).toBe(first);
  });
});
