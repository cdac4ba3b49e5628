import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { SIGN_IN_MESSAGES } from "../lib/sign-in-messages";

/*
 * First-run setup needs a workspace with nobody in it, so this spec starts a second production
 * server of the same build, on its own empty embedded database, without demo data.
 */
const port = Number(process.env.E2E_PORT ?? 3210) + 10;
const origin = `http://127.0.0.1:${port}`;
let server: ChildProcess | undefined;
let dataDir = "";
let serverOutput = "";

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  dataDir = mkdtempSync(path.join(tmpdir(), "roster-setup-e2e-"));
  server = spawn("npx", ["next", "start", "-p", String(port)], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      ROSTER_DATA_DIR: dataDir,
      ROSTER_URL: origin,
      ROSTER_DEMO: "",
      DATABASE_URL: "",
      AUTH_SECRET: "",
      SMTP_URL: "",
      NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? ".next",
    },
  });
  server.stdout?.on("data", (chunk: Buffer) => {
    serverOutput += chunk.toString();
  });
  server.stderr?.resume();
  for (let i = 0; i < 200; i++) {
    const up = await fetch(`${origin}/setup`, { redirect: "manual" }).catch(() => null);
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`The setup server on ${origin} did not start`);
});

test.afterAll(() => {
  if (server?.pid) process.kill(-server.pid, "SIGTERM");
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test("a fresh production workspace: no demo data, setup creates the owner, then closes", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto(`${origin}/users`);
  await expect(page).toHaveURL(`${origin}/setup`);
  await page.goto(`${origin}/sign-in`);
  await expect(page).toHaveURL(`${origin}/setup`);
  await expect(page.getByRole("heading", { name: "Set up Roster" })).toBeVisible();
  await expect(page.getByText("owner@roster.test")).toHaveCount(0);

  // The setup code is printed in the server's log at start; a stranger without it gets nowhere.
  const printed = /Setup code: ([0-9A-Z]{4}(?:-[0-9A-Z]{4}){3})/.exec(serverOutput);
  expect(printed, "the server printed a setup code").not.toBeNull();
  const code = printed?.[1] ?? "";
  await page.getByLabel("Setup code").fill("AAAA-BBBB-CCCC-DDDD");
  await page.getByLabel("Name").fill("Fiona First");
  await page.getByLabel("Email").fill("fiona@example.com");
  await page.getByLabel("Password", { exact: true }).fill("short");
  await page.getByLabel("Confirm password").fill("short");
  await page.getByRole("button", { name: "Create owner account" }).click();
  await expect(page.getByText("Use a password of at least 8 characters.")).toBeVisible();
  await expect(page.getByText(/not this workspace's setup code/)).toBeVisible();
  await expect(page.getByLabel("Setup code")).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("Setup code").fill(code);

  await page.getByLabel("Password", { exact: true }).fill("a-long-owner-password");
  await page.getByLabel("Confirm password").fill("a-long-owner-password");
  await page.getByRole("button", { name: "Create owner account" }).click();
  await expect(page).toHaveURL(`${origin}/sign-in?reason=set-up`);
  await expect(page.getByText(SIGN_IN_MESSAGES["set-up"])).toBeVisible();
  await expect(page.getByRole("heading", { name: "Demo accounts" })).toHaveCount(0);

  await page.getByLabel("Email").fill("fiona@example.com");
  await page.getByLabel("Password").fill("a-long-owner-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${origin}/users`);
  await expect(page.getByRole("button", { name: "Fiona First (owner)" })).toBeVisible();

  // Closed for good.
  await page.goto(`${origin}/setup`);
  await expect(page).toHaveURL(`${origin}/sign-in`);
});
