import { describe, expect, it } from "vitest";
import { selectionFilterSchema as usersFilterSchema } from "./selection";
import {
  DEFAULT_HIDDEN_COLUMNS,
  hiddenColumns,
  parseUsersView,
  parseUsersViewStrict,
  USERS_DEFAULTS,
  usersFilterOf,
  usersViewQuery,
} from "./view";

describe("hidden columns in the URL", () => {
  it("defaults when absent, and leaves the default out of the URL", () => {
    const view = parseUsersView({});
    expect(hiddenColumns(view)).toEqual(DEFAULT_HIDDEN_COLUMNS);
    expect(usersViewQuery(view)).toBe("");
  });

  it("keeps an explicit empty list (every column shown)", () => {
    const view = parseUsersView(new URLSearchParams("cols="));
    expect(hiddenColumns(view)).toEqual([]);
    expect(usersViewQuery(view)).toBe("?cols=");
    expect(hiddenColumns(parseUsersView(new URLSearchParams("cols=")))).toEqual([]);
  });

  it("drops unknown names and writes the known ones in column order", () => {
    const view = parseUsersView(new URLSearchParams("tab=archived&cols=owned,bogus,email"));
    expect(hiddenColumns(view)).toEqual(["owned", "email"]);
    expect(usersViewQuery(view)).toBe("?tab=archived&cols=email,owned");
    expect(hiddenColumns(parseUsersView(new URLSearchParams("cols=email%2Cowned")))).toEqual([
      "email",
      "owned",
    ]);
  });

  it("is not part of the filter that 'all matching' applies to", () => {
    const view = parseUsersView(new URLSearchParams("q=ann&cols=email"));
    const filter = usersFilterSchema.parse(usersFilterOf(view));
    expect(filter.q).toBe("ann");
    expect(filter).not.toHaveProperty("cols");
  });
});

describe("the users view in the URL", () => {
  it("round-trips every key through the serializer", () => {
    const query =
      "?tab=inactive&q=ann+lee&roles=admin,member&never=1&before=2024-03-01&ending=1&sort=lastSignIn&dir=desc&cursor=abc.def&size=50";
    const view = parseUsersView(new URLSearchParams(query.slice(1)));
    expect(view).toMatchObject({
      tab: "inactive",
      q: "ann lee",
      roles: ["admin", "member"],
      neverSignedIn: true,
      lastSignInBefore: "2024-03-01",
      accessEnding: true,
      sort: "lastSignIn",
      dir: "desc",
      cursor: "abc.def",
      size: 50,
    });
    expect(parseUsersView(new URLSearchParams(usersViewQuery(view).slice(1)))).toEqual(view);
  });

  it.each([
    ["cursor=%00", { cursor: null }],
    ["q=%00", { q: "" }],
    ["q=ann%00", { q: "" }],
    ["q=%1Bx", { q: "" }],
    [`q=${"a".repeat(201)}`, { q: "" }],
    ["before=2024-99-99", { lastSignInBefore: null }],
    ["before=0000-01-01", { lastSignInBefore: null }],
    ["before=2024-02-30", { lastSignInBefore: null }],
    ["before=2024-1-1", { lastSignInBefore: null }],
    ["tab=%00&sort=x&dir=up", { tab: "active", sort: "name", dir: "asc" }],
    ["size=7", { size: 25 }],
    ["roles=admin,%00,boss", { roles: ["admin"] }],
    ["cursor=%00", { cursor: null }],
  ])("a page reading %s falls back to the default", (query, expected) => {
    expect(parseUsersView(new URLSearchParams(query))).toMatchObject(expected);
  });

  it("keeps a leap day and trims a search", () => {
    expect(parseUsersView({ before: "2024-02-29", q: "  ann " })).toMatchObject({
      lastSignInBefore: "2024-02-29",
      q: "ann",
    });
  });

  it("takes an array-valued parameter's first value", () => {
    expect(parseUsersView({ tab: ["archived", "active"] }).tab).toBe("archived");
  });

  it.each(["q=%00", "before=2024-99-99", "before=0000-01-01", "tab=nope"])(
    "the export refuses %s rather than widening it",
    (query) => {
      expect(parseUsersViewStrict(new URLSearchParams(query))).toBeNull();
    },
  );

  it("the export takes a well-formed view as written", () => {
    expect(parseUsersViewStrict(new URLSearchParams("tab=archived&q=ann"))).toMatchObject({
      tab: "archived",
      q: "ann",
    });
  });
});

describe("the 'all matching' filter a server action receives", () => {
  const filter = usersFilterOf(USERS_DEFAULTS);

  it("accepts the filter of a view", () => {
    expect(usersFilterSchema.parse({ ...filter, q: "ann" })).toEqual({ ...filter, q: "ann" });
  });

  it.each([
    ["a NUL byte in the search", { q: "a\u0000" }],
    ["an impossible day", { lastSignInBefore: "2024-99-99" }],
    ["year zero", { lastSignInBefore: "0000-01-01" }],
    ["an unknown tab", { tab: "everyone" }],
    ["an unknown key", { page: 2 }],
  ])("refuses %s instead of widening the selection", (_, change) => {
    expect(usersFilterSchema.safeParse({ ...filter, ...change }).success).toBe(false);
  });

  it("refuses a filter with a key missing", () => {
    const { q: _, ...rest } = filter;
    expect(usersFilterSchema.safeParse(rest).success).toBe(false);
  });
});
