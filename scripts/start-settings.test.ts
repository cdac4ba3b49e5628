import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

// `next start` says "Ready" before it loads the app, so instrumentation can only complain after
// it. `npm start` checks the settings first (scripts/check-settings.ts).

const run = promisify(execFile);
const root = new URL("..", import.meta.url).pathname;

async function check(env: Record<string, string>) {
  const base = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NODE_ENV: "" };
  try {
    await run("npx", ["tsx", "scripts/check-settings.ts"], {
      cwd: root,
      env: { ...base, ...env } as NodeJS.ProcessEnv,
    });
    return { code: 0, stderr: "" };
  } catch (error) {
    const e = error as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
}

describe("npm start checks the settings before Next says Ready", () => {
  it("runs the check first", () => {
    const pkg = JSON.parse(readFileSync(`${root}package.json`, "utf8")) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.start).toBe("tsx scripts/check-settings.ts && next start");
  });

  it("refuses a start without ROSTER_URL, or with DATABASE_URL and no AUTH_SECRET, naming them", async () => {
    const noUrl = await check({});
    expect(noUrl.code).toBe(1);
    expect(noUrl.stderr).toContain("ROSTER_URL");
    const noSecret = await check({
      ROSTER_URL: "https://roster.example.com",
      DATABASE_URL: "postgres://db/roster",
    });
    expect(noSecret.code).toBe(1);
    expect(noSecret.stderr).toContain("AUTH_SECRET");
  });

  it("lets good settings through", async () => {
    expect(await check({ ROSTER_URL: "https://roster.example.com" })).toEqual({
      code: 0,
      stderr: "",
    });
  });
});
