import { describe, expect, it } from "vitest";
import { type FoundChromium, findChromium, systemChromiumPaths } from "../e2e/browser";
import { type EnsureDeps, ensureChromium, runStep } from "./ensure-browser";

describe("findChromium", () => {
  const present =
    (...paths: string[]) =>
    (path: string) =>
      paths.includes(path);

  it("takes PLAYWRIGHT_CHROMIUM_EXECUTABLE first, and refuses one that does not exist", () => {
    const env = { PLAYWRIGHT_CHROMIUM_EXECUTABLE: "/opt/chrome" };
    const options = { env, playwrightPath: "/pw/chrome", systemPaths: ["/usr/bin/chromium"] };
    expect(findChromium({ ...options, exists: present("/opt/chrome", "/pw/chrome") })).toEqual({
      source: "PLAYWRIGHT_CHROMIUM_EXECUTABLE",
      path: "/opt/chrome",
    });
    expect(() => findChromium({ ...options, exists: present("/pw/chrome") })).toThrow(
      "PLAYWRIGHT_CHROMIUM_EXECUTABLE points at /opt/chrome",
    );
  });

  it("then Playwright's own Chromium, then the first system one present, else null", () => {
    const options = { env: {}, playwrightPath: "/pw/chrome", systemPaths: ["/a", "/b"] };
    expect(findChromium({ ...options, exists: present("/pw/chrome", "/a") })?.source).toBe(
      "Playwright's own Chromium",
    );
    expect(findChromium({ ...options, exists: present("/b") })).toEqual({
      source: "the system Chromium",
      path: "/b",
    });
    expect(findChromium({ ...options, exists: present() })).toBeNull();
    expect(findChromium({ ...options, playwrightPath: null, exists: present("/a") })?.path).toBe(
      "/a",
    );
  });

  it("reads the system paths from E2E_SYSTEM_CHROMIUM when it is set", () => {
    expect(systemChromiumPaths({})).toContain("/usr/bin/chromium");
    expect(systemChromiumPaths({ E2E_SYSTEM_CHROMIUM: "" })).toEqual([]);
    expect(systemChromiumPaths({ E2E_SYSTEM_CHROMIUM: "/x:/y" })).toEqual(["/x", "/y"]);
  });
});

describe("ensureChromium", () => {
  const chromium: FoundChromium = { source: "the system Chromium", path: "/usr/bin/chromium" };
  const own: FoundChromium = { source: "Playwright's own Chromium", path: "/pw/chrome" };

  /** A machine where each command succeeds or fails as told, and installs what it says. */
  function machine(options: {
    present?: FoundChromium | null;
    playwrightInstalls?: boolean;
    aptInstalls?: boolean;
    aptUpdates?: boolean;
    isRoot?: boolean;
    hasApt?: boolean;
  }) {
    let installed = options.present ?? null;
    const ran: string[] = [];
    const lines: string[] = [];
    let clock = 0;
    const deps: EnsureDeps = {
      find: () => installed,
      run: async ({ command, args }) => {
        const line = [command, ...args].join(" ");
        ran.push(line);
        clock += 2_500;
        if (line === "npx playwright install chromium") {
          if (options.playwrightInstalls) installed = own;
          return Boolean(options.playwrightInstalls);
        }
        if (line.startsWith("apt-get install")) {
          if (options.aptInstalls) installed = chromium;
          return Boolean(options.aptInstalls);
        }
        if (line.startsWith("apt-get update")) return options.aptUpdates ?? true;
        return true;
      },
      isRoot: options.isRoot ?? true,
      hasApt: options.hasApt ?? true,
      log: (line) => lines.push(line),
      now: () => clock,
    };
    return { deps, ran, lines };
  }

  it("installs nothing when a Chromium is there, and says which it uses", async () => {
    const { deps, ran, lines } = machine({ present: chromium });
    await expect(ensureChromium(deps)).resolves.toEqual(chromium);
    expect(ran).toEqual([]);
    expect(lines).toEqual(["Browser tests use the system Chromium at /usr/bin/chromium."]);
  });

  it("uses Playwright's download where it works, with its system libraries as root", async () => {
    const { deps, ran, lines } = machine({ playwrightInstalls: true });
    await expect(ensureChromium(deps)).resolves.toEqual(own);
    expect(ran).toEqual([
      "npx playwright install chromium",
      "npx playwright install-deps chromium",
    ]);
    expect(lines).toContain(
      "  done in 2.5 s: browser tests use Playwright's own Chromium at /pw/chrome.",
    );
  });

  it("falls back to apt-get as root when the download fails, and says how long it took", async () => {
    const { deps, ran, lines } = machine({ aptInstalls: true });
    await expect(ensureChromium(deps)).resolves.toEqual(chromium);
    expect(ran).toEqual([
      "npx playwright install chromium",
      "apt-get update -qq",
      "apt-get install -y -qq chromium",
      "apt-get install -y -qq chromium-headless-shell",
    ]);
    expect(lines).toContain("  failed after 2.5 s.");
    expect(lines).toContain(
      "  done in 7.5 s: browser tests use the system Chromium at /usr/bin/chromium.",
    );
  });

  it("still tries apt-get install when apt-get update fails", async () => {
    const { deps, ran } = machine({ aptInstalls: true, aptUpdates: false });
    await expect(ensureChromium(deps)).resolves.toEqual(chromium);
    expect(ran).toContain("apt-get install -y -qq chromium");
  });

  it("fails with the exact command when nothing can be installed", async () => {
    await expect(ensureChromium(machine({ isRoot: false }).deps)).rejects.toThrow(
      "Run `sudo apt-get update && sudo apt-get install -y chromium`",
    );
    const noApt = machine({ hasApt: false });
    await expect(ensureChromium(noApt.deps)).rejects.toThrow(
      "Run `npx playwright install chromium`",
    );
    expect(noApt.ran).toEqual(["npx playwright install chromium"]);
    const aptFails = machine({});
    await expect(ensureChromium(aptFails.deps)).rejects.toThrow(
      "Run `apt-get update && apt-get install -y chromium`",
    );
  });
});

describe("runStep", () => {
  it("stops a command that runs out of time, and reports it as failed", async () => {
    const started = Date.now();
    await expect(
      runStep({ command: "sleep", args: ["30"], timeoutMs: 300, quiet: true }),
    ).resolves.toBe(false);
    expect(Date.now() - started).toBeLessThan(5_000);
    await expect(
      runStep({ command: "true", args: [], timeoutMs: 5_000, quiet: true }),
    ).resolves.toBe(true);
    await expect(
      runStep({ command: "roster-no-such-command", args: [], timeoutMs: 5_000, quiet: true }),
    ).resolves.toBe(false);
  });
});
