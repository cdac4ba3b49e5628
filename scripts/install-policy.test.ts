import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// npm 11 warns at the end of `npm install` about every dependency whose install scripts the
// project's `allowScripts` (package.json) doesn't cover; npm 12 skips them. Every package the
// lockfile marks as having install scripts is decided here, so a fresh install is quiet.

type Lock = { packages: Record<string, { version?: string; hasInstallScript?: boolean }> };
type Manifest = { allowScripts?: Record<string, boolean> };

const read = <T>(file: string): T =>
  JSON.parse(readFileSync(new URL(`../${file}`, import.meta.url), "utf8")) as T;

describe("install scripts", () => {
  it("every dependency with install scripts is allowed or denied in package.json", () => {
    const lock = read<Lock>("package-lock.json");
    const policy = read<Manifest>("package.json").allowScripts ?? {};
    const withScripts = Object.entries(lock.packages)
      .filter(([, p]) => p.hasInstallScript)
      .map(([path, p]) => ({
        name: path.split("node_modules/").pop() ?? path,
        version: p.version,
      }));
    expect(withScripts.length).toBeGreaterThan(0);
    const undecided = withScripts.filter(
      ({ name, version }) => !(name in policy) && !(`${name}@${version}` in policy),
    );
    expect(undecided).toEqual([]);
  });
});
