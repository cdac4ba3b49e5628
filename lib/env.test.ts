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
    expect(s.poolSize).toBe(10);
    expect(s.metricsToken).toBeUndefined();
    expect(s.drainSeconds).toBe(5);
  });

  it("takes the pool size, the metrics token and the drain delay", () => {
    const s = readSettings({
      ROSTER_DB_POOL_SIZE: "6",
      ROSTER_METRICS_TOKEN: "m".repeat(32),
      ROSTER_DRAIN_SECONDS: "0",
    });
    expect(s.poolSize).toBe(6);
    expect(s.metricsToken).toBe("m".repeat(32));
    expect(s.drainSeconds).toBe(0);
  });

  it.each([
    ["PORT", "eighty"],
    ["PORT", "70000"],
    ["DATABASE_URL", "mysql://x"],
    ["AUTH_SECRET", "short"],
    ["ROSTER_SEATS", "0"],
    ["ROSTER_SEATS", "lots"],
    ["SMTP_URL", "http://mail"],
    ["ROSTER_URL", "roster.example.com"],
    ["ROSTER_URL", "https://roster.example.com/app"],
    ["ROSTER_URL", "https://user:pw@roster.example.com"],
    ["ROSTER_URL", "javascript:alert(1)"],
    ["ROSTER_DEMO", "yes"],
    ["ROSTER_DB_POOL_SIZE", "0"],
    ["ROSTER_DB_POOL_SIZE", "ten"],
    ["ROSTER_METRICS_TOKEN", "too-short"],
    ["ROSTER_METRICS_TOKEN", "has a space in it, twenty-four+"],
    ["ROSTER_DRAIN_SECONDS", "-1"],
    ["ROSTER_DRAIN_SECONDS", "600"],
  ])("names %s when it is invalid (%s)", (name, value) => {
    expect(() => readSettings({ [name]: value })).toThrowError(SettingsError);
    expect(() => readSettings({ [name]: value })).toThrowError(new RegExp(name));
  });

  it.each([
    ["AUTH_SECRET", "tiny-s3cret", "s3cret"],
    ["DATABASE_URL", "mysql://roster:Hunter2Password@db.internal/roster", "Hunter2Password"],
    ["SMTP_URL", "http://mailer:SmtpPa55word@mail.internal", "SmtpPa55word"],
    ["ROSTER_URL", "https://admin:UrlPa55word@roster.example.com", "UrlPa55word"],
    ["PORT", "secret-port-value", "secret-port"],
  ])("names %s but never echoes its value", (name, value, secret) => {
    let message = "";
    try {
      readSettings({ [name]: value });
    } catch (error) {
      message = String((error as Error).message);
    }
    expect(message).toMatch(new RegExp(`\\b${name}\\b`));
    expect(message).not.toContain(value);
    expect(message).not.toContain(secret);
  });

  it("requires ROSTER_URL in production, and builds links from it alone", () => {
    expect(() => readSettings({ NODE_ENV: "production" })).toThrowError(/ROSTER_URL/);
    const s = readSettings({ NODE_ENV: "production", ROSTER_URL: "https://roster.example.com/" });
    expect(s.publicUrl).toBe("https://roster.example.com");
  });

  it("defaults ROSTER_URL to localhost on the configured port in development and tests", () => {
    expect(readSettings({ NODE_ENV: "development" }).publicUrl).toBe("http://localhost:3000");
    expect(readSettings({ NODE_ENV: "test", PORT: "4123" }).publicUrl).toBe(
      "http://localhost:4123",
    );
  });

  it("loads demo data in development or with ROSTER_DEMO=1, never otherwise", () => {
    expect(readSettings({ NODE_ENV: "development" }).demo).toBe(true);
    expect(readSettings({ NODE_ENV: "development", ROSTER_DEMO: "0" }).demo).toBe(false);
    expect(readSettings({ NODE_ENV: "test" }).demo).toBe(false);
    expect(readSettings({ NODE_ENV: "production", ROSTER_URL: "https://r.example" }).demo).toBe(
      false,
    );
    expect(
      readSettings({ NODE_ENV: "production", ROSTER_URL: "https://r.example", ROSTER_DEMO: "1" })
        .demo,
    ).toBe(true);
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
