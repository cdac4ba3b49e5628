import { describe, expect, it } from "vitest";
import {
  DEFAULT_HIDDEN_COLUMNS,
  hiddenColumns,
  parseUsersView,
  usersFilterSchema,
  usersViewQuery,
} from "./view";

describe("hidden columns in the URL (cols)", () => {
  it("hides the default columns when the URL says nothing", () => {
    const view = parseUsersView({});
    expect(hiddenColumns(view)).toEqual(DEFAULT_HIDDEN_COLUMNS);
    expect(usersViewQuery(view)).toBe("");
  });

  it("an empty cols shows every column, and survives the round trip", () => {
    const view = parseUsersView(new URLSearchParams("cols="));
    expect(hiddenColumns(view)).toEqual([]);
    expect(usersViewQuery(view)).toBe("?cols=");
    expect(hiddenColumns(parseUsersView(new URLSearchParams("cols=")))).toEqual([]);
  });

  it("keeps known columns in a stable order and drops unknown ones", () => {
    const view = parseUsersView(new URLSearchParams("tab=archived&cols=owned,bogus,email"));
    expect(hiddenColumns(view)).toEqual(["owned", "email"]);
    expect(usersViewQuery(view)).toBe("?tab=archived&cols=email%2Cowned");
    expect(hiddenColumns(parseUsersView(new URLSearchParams("cols=email%2Cowned")))).toEqual([
      "email",
      "owned",
    ]);
  });

  it("is not part of the filter that 'all matching' applies to", () => {
    const view = parseUsersView(new URLSearchParams("q=ann&cols=email"));
    const filter = usersFilterSchema.parse(view);
    expect(filter.q).toBe("ann");
    expect(filter).not.toHaveProperty("cols");
  });
});
