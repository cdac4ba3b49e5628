import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatCount, formatRange } from "./format";

const root = path.resolve(import.meta.dirname, "..");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sources(full);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

describe("numbers", () => {
  it("are grouped one way: 17,123", () => {
    expect(formatCount(17123)).toBe("17,123");
    expect(formatCount(0)).toBe("0");
  });

  it("say which rows a page shows", () => {
    expect(formatRange(25, 25, "15,222")).toBe("26–50 of 15,222");
    expect(formatRange(15212, 10, "15,222")).toBe("15,213–15,222 of 15,222");
    expect(formatRange(0, 0, "0")).toBe("0 of 0");
    expect(formatRange(null, 25, "1,000+")).toBe("25 of 1,000+");
  });

  it("go through formatCount everywhere the console shows them", () => {
    const own = path.join(root, "lib", "format.ts");
    const offenders = ["app", "components", "lib"]
      .flatMap((dir) => sources(path.join(root, dir)))
      .filter((file) => file !== own)
      .filter((file) =>
        /\.toLocaleString\(|new Intl\.NumberFormat\(/.test(readFileSync(file, "utf8")),
      )
      .map((file) => path.relative(root, file));
    expect(offenders).toEqual([]);
  });
});
