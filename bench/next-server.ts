import { type ChildProcess, spawn } from "node:child_process";
import type { Page } from "@playwright/test";

type Env = NodeJS.ProcessEnv;

/** Runs a command to its end with the output shown; rejects when it fails. */
export function runCommand(cmd: string, args: string[], env: Env): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: "inherit", env });
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} exited ${code}`)),
    );
  });
}

/** Waits until `url` answers 2xx (3 minutes at most), or the server has exited. */
export async function waitUntilUp(url: string, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error("next start exited early");
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer within 3 minutes`);
}

/**
 * `next start` of the build in NEXT_DIST_DIR on the demo workspace: an embedded database in
 * `dataDir` (or `databaseUrl`), seeded on start; in its own process group, for stopServer.
 */
export function startDemoServer(opts: {
  port: number;
  env: Env;
  dataDir: string;
  databaseUrl?: string;
  authSecret?: string;
}): ChildProcess {
  return spawn("npx", ["next", "start", "-p", String(opts.port)], {
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...opts.env,
      ROSTER_DATA_DIR: opts.dataDir,
      DATABASE_URL: opts.databaseUrl ?? "",
      AUTH_SECRET: opts.authSecret ?? "",
      SMTP_URL: "",
      // A production server needs its public origin; the demo accounts sign in.
      ROSTER_URL: `http://127.0.0.1:${opts.port}`,
      ROSTER_DEMO: "1",
    },
    detached: true,
  });
}

/** Stops a server started by startDemoServer (its whole process group). */
export function stopServer(server: ChildProcess | null): void {
  if (!server?.pid) return;
  try {
    process.kill(-server.pid, "SIGTERM");
  } catch {
    // already gone
  }
}

/** Signs the demo admin in through the sign-in page; the page is then on /users. */
export async function signInDemoAdmin(page: Page, base: string): Promise<void> {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel("Email").fill("admin@roster.test");
  await page.getByLabel("Password").fill("roster-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/users");
}
