import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { PersonLink } from "./person-link";

vi.mock("next/navigation", () => ({ useRouter: () => ({ prefetch: () => {} }) }));

const ID = "0b7e4c1a-5a4f-4d0e-9c1b-2f3a4b5c6d7e";
const html = (person: Parameters<typeof PersonLink>[0]["person"], side?: "actor" | "target") =>
  renderToStaticMarkup(createElement(PersonLink, { person, side }));

describe("a person in the audit log", () => {
  it("links a deleted user in the log to the events that name their id there", () => {
    const gone = { id: ID, name: null, email: null };
    expect(html(gone, "actor")).toContain(`href="/audit?actor=id:${ID}"`);
    expect(html(gone, "target")).toContain(`href="/audit?target=id:${ID}"`);
    expect(html(gone, "target")).toContain(">Deleted user</a>");
    // Outside the log (a profile's "status changed by"), a deleted user is plain words.
    expect(html(gone)).not.toContain("href");
  });

  it("links a person to their profile, and the system to nothing", () => {
    expect(html({ id: ID, name: "Ava Stone", email: "ava@x.test" }, "actor")).toContain(
      `href="/users/${ID}"`,
    );
    expect(html(null, "actor")).toBe(
      '<span class="text-zinc-600 dark:text-zinc-400">System</span>',
    );
  });
});
