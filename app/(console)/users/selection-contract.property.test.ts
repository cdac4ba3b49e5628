import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { USER_ROLES, USER_STATUSES, type User } from "@/db/schema";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import type { Actor } from "@/lib/session";
import { LIFECYCLE, VERB_NAMES, type Verb } from "@/lib/users/lifecycle";
import { addRecords, addUsers, filledOptions, snapshot } from "@/lib/users/testing/fixtures";
import type { VerbResult } from "@/lib/users/verb-types";
import { lifecycleInputSchema } from "@/lib/users/verbs/input";
import { TABS } from "@/lib/users/view";
import { definition } from "@/model/verbs";
import { optionFields } from "@/model/verbs/fields";
import { lifecycleAction, previewAction } from "./actions";

/** The server action for one verb, with the options it needs to be otherwise valid. */
function applyAction(action: Verb, input: Record<string, unknown>): Promise<VerbResult> {
  return lifecycleAction({ action, options: filledOptions(action), ...input } as never);
}

const h = vi.hoisted(() => ({ actor: null as Actor | null, db: null as Db | null }));

vi.mock("@/lib/session", () => ({
  sessionState: async () =>
    h.actor ? { kind: "signed-in", actor: h.actor } : { kind: "anonymous" },
}));
vi.mock("@/lib/db", () => ({
  getDb: async () => {
    if (!h.db) throw new Error("no database");
    return h.db;
  },
}));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ host: "localhost" }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const RUNS = Number(process.env.FC_RUNS ?? 60);
const FILTER_KEYS = ["tab", "q", "roles", "neverSignedIn", "lastSignInBefore"] as const;
type Filter = Record<string, unknown>;

const validFilter: fc.Arbitrary<Filter> = fc.record({
  tab: fc.constantFrom(...TABS),
  q: fc.constantFrom("", "fixture", "a"),
  roles: fc.subarray([...USER_ROLES]),
  neverSignedIn: fc.boolean(),
  lastSignInBefore: fc.constantFrom(null, "2030-01-01", "2024-02-29"),
});

const notA = (type: string) => fc.anything().filter((v) => typeof v !== type);
const badDay = fc.oneof(
  fc
    .tuple(
      fc.integer({ min: 0, max: 9999 }),
      fc.integer({ min: 13, max: 99 }),
      fc.integer({ min: 1, max: 28 }),
    )
    .map(([y, m, d]) => `${String(y).padStart(4, "0")}-${m}-${String(d).padStart(2, "0")}`),
  fc
    .tuple(
      fc.integer({ min: 1000, max: 9999 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 32, max: 99 }),
    )
    .map(([y, m, d]) => `${y}-${String(m).padStart(2, "0")}-${d}`),
  fc.constantFrom("2023-02-29", "2024-04-31", "2024-1-01", "20240101", "2024-01-01T00:00:00Z", ""),
  fc.string().filter((s) => !/^\d{4}-\d{2}-\d{2}$/.test(s)),
  notA("string").filter((v) => v !== null),
);

/** One change that makes a valid filter invalid; none of them may be "corrected" into a default. */
const filterMutation: fc.Arbitrary<(f: Filter) => unknown> = fc.oneof(
  fc
    .oneof(
      fc.constantFrom(
        ...TABS.map((t) => t[0]?.toUpperCase() + t.slice(1)),
        "ACTIVE",
        " active",
        "all",
        "",
      ),
      fc.string().filter((s) => !(TABS as readonly string[]).includes(s)),
      notA("string"),
    )
    .map((tab) => (f: Filter) => ({ ...f, tab })),
  fc
    .oneof(fc.string({ minLength: 201, maxLength: 400 }), notA("string"))
    .map((q) => (f: Filter) => ({ ...f, q })),
  fc
    .oneof(
      fc
        .string()
        .filter((s) => !(USER_ROLES as readonly string[]).includes(s))
        .map((r) => [r]),
      fc.constantFrom(["Admin"], ["admin", "superuser"], "admin", {}, null),
    )
    .map((roles) => (f: Filter) => ({ ...f, roles })),
  notA("boolean").map((neverSignedIn) => (f: Filter) => ({ ...f, neverSignedIn })),
  fc
    .constantFrom("true", "false", 1, 0, "1")
    .map((neverSignedIn) => (f: Filter) => ({ ...f, neverSignedIn })),
  badDay.map((lastSignInBefore) => (f: Filter) => ({ ...f, lastSignInBefore })),
  fc.constantFrom(...FILTER_KEYS).map((key) => (f: Filter) => {
    const { [key]: _, ...rest } = f;
    return rest;
  }),
  fc
    .tuple(
      fc
        .string({ minLength: 1 })
        .filter((k) => !(FILTER_KEYS as readonly string[]).includes(k) && k !== "__proto__"),
      fc.anything(),
    )
    .map(([key, value]) => (f: Filter) => ({ ...f, [key]: value })),
  fc
    .oneof(
      fc.constantFrom("$@0", "$@1", "$Q0", {}, [], null),
      fc.anything().filter((v) => typeof v !== "object" || v === null),
    )
    .map((replacement) => () => replacement),
);

const badUuid = fc.oneof(
  fc.string().filter((s) => !/^[0-9a-f-]{36}$/i.test(s)),
  fc.constantFrom("1; drop table users", "00000000-0000-0000-0000-00000000000g", ""),
  notA("string"),
);

/** A malformed selection around real users, so that a lenient parse would change something. */
function malformedSelection(ids: string[]): fc.Arbitrary<unknown> {
  const goodTargets = ids.map((id) => ({ id, expectedStatus: "active" }));
  return fc.oneof(
    fc
      .tuple(validFilter, fc.array(filterMutation, { minLength: 1, maxLength: 3 }))
      .map(([filter, mutations]) => ({
        kind: "filter",
        // Once a mutation has replaced the filter by a non-object, it stays replaced.
        filter: mutations.reduce<unknown>(
          (f, m) => (typeof f === "object" && f !== null ? m(f as Filter) : f),
          filter,
        ),
        excludeIds: [],
      })),
    validFilter.map((filter) => ({ kind: "filter", filter })), // excludeIds missing
    fc
      .tuple(
        validFilter,
        fc.oneof(
          badUuid.map((x) => [x]),
          notA("object"),
        ),
      )
      .map(([filter, excludeIds]) => ({ kind: "filter", filter, excludeIds })),
    fc
      .tuple(
        validFilter,
        fc.string({ minLength: 1 }).filter((k) => !["kind", "filter", "excludeIds"].includes(k)),
      )
      .map(([filter, key]) => ({ kind: "filter", filter, excludeIds: [], [key]: true })),
    fc
      .oneof(fc.constantFrom("Filter", "IDS", "all", "everyone", ""), notA("string"))
      .map((kind) => ({ kind, filter: {}, targets: goodTargets, excludeIds: [] })),
    badUuid.map((id) => ({
      kind: "ids",
      targets: [...goodTargets, { id, expectedStatus: "active" }],
    })),
    fc
      .oneof(
        fc.string().filter((s) => !(USER_STATUSES as readonly string[]).includes(s)),
        notA("string"),
      )
      .map((expectedStatus) => ({ kind: "ids", targets: [{ id: ids[0], expectedStatus }] })),
    fc.constant({ kind: "ids", targets: [] }),
    fc.constant({ kind: "ids", targets: [{ id: ids[0] }] }),
    fc.constant({ kind: "ids", targets: [{ id: ids[0], expectedStatus: "active", extra: 1 }] }),
    fc.anything().filter((v) => typeof v !== "object" || v === null || Array.isArray(v)),
  );
}

const TOP_KEYS = [
  "action",
  "selection",
  "options",
  "reason",
  "newOwnerId",
  "onConflict",
  "token",
  "undoOf",
];
const ALL_OPTION_KEYS = [
  ...new Set(VERB_NAMES.flatMap((a) => optionFields(definition(a)).map((f) => f.key))),
];

/** Common fields that are wrong for every action, around a valid selection and valid options. */
const malformedCommon: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record({
    reason: fc.oneof(
      // Too long once trimmed: the schema trims first, so 600 spaces are an empty reason.
      fc.string({ minLength: 501, maxLength: 600 }).filter((s) => s.trim().length > 500),
      notA("string").filter((v) => v !== undefined),
    ),
  }),
  fc.record({ newOwnerId: badUuid.filter((v) => v !== undefined) }),
  fc.record({ undoOf: badUuid.filter((v) => v !== undefined) }),
  fc.record({
    onConflict: fc.oneof(
      fc.string().filter((s) => s !== "skip" && s !== "abort"),
      notA("string").filter((v) => v !== undefined),
    ),
  }),
  fc
    .string({ minLength: 1 })
    .filter((k) => !TOP_KEYS.includes(k) && k !== "__proto__")
    .map((k) => ({ [k]: true })),
);

/** Options that are wrong for this action: derived from its definition's fields. */
function malformedOptions(action: Verb): fc.Arbitrary<unknown> {
  const fields = optionFields(definition(action));
  const valid = filledOptions(action);
  const own = fields.map((f) =>
    (f.kind === "checkbox"
      ? notA("boolean").filter((v) => v !== undefined)
      : fc.oneof(
          fc.string().filter((v) => f.kind !== "typed" || v !== f.word),
          // A clearable time's null is a value: it clears the date (lib/users/verbs/options.ts).
          notA("string").filter((v) => !(f.kind === "datetime" && f.clearable && v === null)),
        )
    ).map((v) => ({ ...valid, [f.key]: v })),
  );
  const foreign = ALL_OPTION_KEYS.filter((k) => !fields.some((f) => f.key === k));
  return fc.oneof(
    ...own,
    ...(foreign.length ? [fc.constantFrom(...foreign).map((k) => ({ ...valid, [k]: true }))] : []),
    fc
      .string({ minLength: 1 })
      .filter((k) => !ALL_OPTION_KEYS.includes(k) && k !== "__proto__")
      .map((k) => ({ ...valid, [k]: false })),
    fc.anything().filter((v) => typeof v !== "object" || v === null || Array.isArray(v)),
  );
}

describe.each(TEST_DRIVERS)("malformed input changes nothing, on %s (fast-check)", (driver) => {
  let t: TestDatabase;
  let admin: User;
  let ids: string[] = [];

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    const created = (await addUsers(t.db, [
      { role: "owner" },
      { role: "admin" },
      ...USER_STATUSES.flatMap((status) => [
        { status, previousStatus: status === "archived" ? ("active" as const) : null },
        { status, previousStatus: status === "archived" ? ("inactive" as const) : null },
      ]),
    ])) as User[];
    admin = created[1] as User;
    ids = created.slice(2).map((u) => u.id);
    await addRecords(t.db, ids[0] as string, { project: 1, automation: 1 });
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(() => {
    h.db = t.db;
    h.actor = admin as Actor;
  });

  it("the unmutated inputs are accepted (so the properties below can fail)", async () => {
    const filter = {
      tab: "active" as const,
      q: "",
      roles: [],
      neverSignedIn: false,
      lastSignInBefore: null,
      accessEnding: false,
    };
    const preview = await previewAction({
      action: "deactivate",
      selection: { kind: "filter", filter, excludeIds: [] },
      options: {},
    });
    expect(preview).toMatchObject({ ok: true });
    expect(preview.ok && preview.willChangeCount).toBeGreaterThan(0);
    const valid = { kind: "ids", targets: ids.map((id) => ({ id, expectedStatus: "active" })) };
    for (const action of VERB_NAMES) {
      const input = { action, selection: valid, options: filledOptions(action) };
      expect(lifecycleInputSchema.safeParse(input).success, action).toBe(true);
      expect(await previewAction({ ...input, options: {} } as never), action).toMatchObject({
        ok: true,
      });
    }
  });

  it("preview: every malformed selection is refused", async () => {
    const before = await snapshot(t.db);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...VERB_NAMES),
        malformedSelection(ids),
        async (action, selection) => {
          const result = await previewAction({ action, selection, options: {} } as never);
          expect(result.ok).toBe(false);
        },
      ),
      { numRuns: RUNS },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string().filter((s) => !(VERB_NAMES as readonly string[]).includes(s)),
          notA("string"),
        ),
        async (action) => {
          const result = await previewAction({
            action,
            selection: { kind: "ids", targets: [{ id: ids[0], expectedStatus: "active" }] },
            options: {},
          } as never);
          expect(result.ok).toBe(false);
        },
      ),
      { numRuns: RUNS },
    );
    expect(await snapshot(t.db)).toEqual(before);
  });

  for (const action of VERB_NAMES) {
    it(`${action}: every malformed selection or option is refused, and nothing changes`, async () => {
      const before = await snapshot(t.db);
      const valid = { kind: "ids", targets: ids.map((id) => ({ id, expectedStatus: "active" })) };
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            malformedSelection(ids).map((selection) => ({ selection })),
            malformedCommon.map((common) => ({ selection: valid, ...common })),
            malformedOptions(action).map((options) => ({ selection: valid, options })),
            // Fields only an action that moves records, or one that undoes, may name.
            ...(LIFECYCLE[action].needsTransfer
              ? []
              : [fc.constant({ selection: valid, newOwnerId: ids[1] })]),
            ...(LIFECYCLE[action].inverse
              ? []
              : [fc.constant({ selection: valid, undoOf: ids[1] })]),
          ),
          async (input) => {
            const result = await applyAction(action, input);
            expect(result.ok, JSON.stringify(result)).toBe(false);
          },
        ),
        { numRuns: RUNS },
      );
      expect(await snapshot(t.db)).toEqual(before);
    });
  }
});
