import { eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import {
  auditEvents,
  automations,
  type NewUser,
  projects,
  type UserRole,
  type UserStatus,
  users,
  workspaceMeta,
} from "@/db/schema";
import { LIFECYCLE, targetStatus, type Verb } from "@/lib/users/lifecycle";
import { hashPassword } from "./password";

export const DEMO_PASSWORD = "roster-demo";
const DEMO_DOMAIN = "roster.test";

export const DEMO_ACCOUNTS = [
  { email: "owner@roster.test", name: "Olivia Owner", role: "owner" },
  { email: "admin@roster.test", name: "Adam Admin", role: "admin" },
  { email: "manager@roster.test", name: "Maya Manager", role: "manager" },
  { email: "support@roster.test", name: "Sam Support", role: "support" },
  { email: "member@roster.test", name: "Mel Member", role: "member" },
] as const satisfies readonly { email: string; name: string; role: UserRole }[];

/** Demo users beside the role accounts, listed on the sign-in page with what each is for. */
export const DEMO_OTHER_ACCOUNTS = [
  { email: "inactive@roster.test", note: "deactivated: refused at sign-in" },
  { email: "archived@roster.test", note: "archived: refused at sign-in" },
  { email: "departing@roster.test", note: "member who owns records" },
] as const;

const FIRST = [
  "Ava",
  "Ben",
  "Chloe",
  "Daniel",
  "Elena",
  "Felix",
  "Grace",
  "Hugo",
  "Isla",
  "Jonas",
  "Kira",
  "Liam",
  "Mira",
  "Noah",
  "Omar",
  "Priya",
  "Quinn",
  "Rosa",
  "Theo",
  "Uma",
  "Victor",
  "Wen",
  "Xavier",
  "Yara",
  "Zoe",
  "Amir",
  "Bianca",
  "Carlos",
  "Dana",
  "Emeka",
];
const LAST = [
  "Anders",
  "Bauer",
  "Costa",
  "Dubois",
  "Eriksen",
  "Fischer",
  "Garcia",
  "Hughes",
  "Ito",
  "Jensen",
  "Kowalski",
  "Larsen",
  "Moreau",
  "Nakamura",
  "Okafor",
  "Petrov",
  "Quintero",
  "Rossi",
  "Silva",
  "Tanaka",
];

/** Deterministic, so that demo data and the tests that lean on it are the same every time. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

type Plan = { status: UserStatus; count: number; previous?: UserStatus[] };
const PLAN: Plan[] = [
  { status: "active", count: 100 },
  { status: "invited", count: 15 },
  { status: "pending", count: 20 },
  { status: "inactive", count: 24 },
  {
    status: "archived",
    count: 20,
    previous: ["active", "active", "active", "inactive", "invited"],
  },
  { status: "rejected", count: 14 },
];

const DAY = 24 * 60 * 60 * 1000;

type DemoEvent = { action: Verb; from: UserStatus; to: UserStatus };

/**
 * How a demo user came to their status: where they came in (invited, asking to join, or already
 * active), the actions since, and whether they were ever active to sign in.
 */
function storyOf(
  status: UserStatus,
  previous: UserStatus | null,
): { start: UserStatus; steps: Verb[]; signsIn: boolean } {
  switch (status) {
    case "inactive":
      return { start: "active", steps: ["deactivate"], signsIn: true };
    case "archived":
      if (previous === "invited") return { start: "invited", steps: ["archive"], signsIn: false };
      if (previous === "inactive")
        return { start: "active", steps: ["deactivate", "archive"], signsIn: true };
      return { start: "active", steps: ["archive"], signsIn: true };
    case "rejected":
      return { start: "pending", steps: ["reject"], signsIn: false };
    default:
      return { start: status, steps: [], signsIn: status === "active" };
  }
}

/** Plays the steps by the product's lifecycle rules; a step they don't allow is a bug here. */
function play(
  start: UserStatus,
  steps: Verb[],
): { status: UserStatus; previous: UserStatus | null; events: DemoEvent[] } {
  let status = start;
  let previous: UserStatus | null = null;
  const events: DemoEvent[] = [];
  for (const action of steps) {
    const to = LIFECYCLE[action].from.includes(status)
      ? targetStatus(action, status, previous)
      : null;
    if (!to) throw new Error(`demo seed: ${action} is not allowed from ${status}`);
    if (to === "archived") previous = status;
    events.push({ action, from: status, to });
    status = to;
  }
  return { status, previous, events };
}

/** Loads the demo workspace once, on the first start of an empty database. */
export async function seedDemoIfEmpty(db: Db): Promise<boolean> {
  const [marker] = await db.select().from(workspaceMeta).where(eq(workspaceMeta.key, "demo"));
  if (marker) return false;
  const [anyUser] = await db.select({ id: users.id }).from(users).limit(1);
  if (anyUser) return false;
  await seedDemo(db);
  return true;
}

export async function seedDemo(db: Db, now = new Date()): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const rand = prng(42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const ago = (days: number) => new Date(now.getTime() - days * DAY);

  await db.transaction(async (tx) => {
    const rows: NewUser[] = DEMO_ACCOUNTS.map((a, i) => ({
      ...a,
      status: "active" as const,
      passwordHash,
      createdAt: ago(400 - i),
      lastSignInAt: ago(i),
    }));
    rows.push(
      {
        email: "inactive@roster.test",
        name: "Ines Inactive",
        role: "member",
        status: "inactive",
        previousStatus: "active",
        passwordHash,
        createdAt: ago(300),
        lastSignInAt: ago(60),
        statusChangedAt: ago(30),
      },
      {
        email: "archived@roster.test",
        name: "Arthur Archived",
        role: "member",
        status: "archived",
        previousStatus: "active",
        passwordHash,
        createdAt: ago(320),
        lastSignInAt: ago(90),
        statusChangedAt: ago(45),
      },
      {
        email: "departing@roster.test",
        name: "Dora Departing",
        role: "member",
        status: "active",
        passwordHash,
        createdAt: ago(350),
        lastSignInAt: ago(2),
      },
    );

    // Each demo user lives a story: where they came in, then lifecycle actions, each allowed by
    // the product's own rules (play() refuses any other), and sign-ins only while active.
    const stories = new Map<string, (DemoEvent & { at: Date })[]>();
    let n = 0;
    for (const plan of PLAN) {
      for (let i = 0; i < plan.count; i++) {
        n++;
        const first = FIRST[n % FIRST.length] as string;
        const last = LAST[Math.floor(n / FIRST.length) % LAST.length] as string;
        // The draws keep their order, so every demo user keeps their name, role and history.
        const roll = rand();
        const role: UserRole =
          plan.status !== "active"
            ? "member"
            : roll < 0.03
              ? "admin"
              : roll < 0.08
                ? "manager"
                : roll < 0.13
                  ? "support"
                  : "member";
        const age = 10 + Math.floor(rand() * 700);
        const neverSignedIn = plan.status === "active" && rand() < 0.1;
        const previous = plan.previous ? pick(plan.previous) : null;
        const story = storyOf(plan.status, previous);
        // Drawn for everyone who once could have signed in, used only where the story allows.
        const signInRoll =
          plan.status !== "invited" &&
          plan.status !== "pending" &&
          plan.status !== "rejected" &&
          !neverSignedIn
            ? rand()
            : null;
        const signInDraw = story.signsIn ? signInRoll : null;
        const changedDaysAgo =
          plan.status === "active" ? null : 1 + Math.floor(rand() * Math.min(60, age - 1));
        const lived = play(story.start, story.steps);
        // The last change `changedDaysAgo` days ago; earlier ones spread between it and the
        // last sign-in (or the account's start).
        const lastChange = changedDaysAgo ?? 0;
        const signedInDaysAgo =
          signInDraw === null
            ? null
            : lastChange +
              1 +
              Math.floor(signInDraw * Math.max(0, Math.min(200, age - 1) - lastChange - 1));
        const email = `${first}.${last}.${n}@${DEMO_DOMAIN}`.toLowerCase();
        const firstChange = signedInDaysAgo ?? age;
        const events = lived.events.map((e, k) => ({
          ...e,
          at: ago(
            lastChange +
              ((firstChange - lastChange) * (lived.events.length - 1 - k)) / lived.events.length,
          ),
        }));
        stories.set(email, events);
        rows.push({
          email,
          name: `${first} ${last}`,
          role,
          status: lived.status,
          previousStatus: lived.previous,
          passwordHash,
          createdAt: ago(age),
          lastSignInAt: signedInDaysAgo === null ? null : ago(signedInDaysAgo),
          statusChangedAt: changedDaysAgo === null ? null : ago(changedDaysAgo),
        });
      }
    }
    const inserted = await tx.insert(users).values(rows).returning({
      id: users.id,
      email: users.email,
      status: users.status,
      previous: users.previousStatus,
      changedAt: users.statusChangedAt,
    });
    const byEmail = new Map(inserted.map((u) => [u.email, u]));
    const admin = byEmail.get("admin@roster.test");
    if (!admin) throw new Error("demo seed: admin missing");

    // Who changed each non-active user, and the history that says so.
    await tx
      .update(users)
      .set({ statusChangedBy: admin.id })
      .where(inArray(users.status, ["invited", "inactive", "archived", "rejected"]));
    const history = inserted.flatMap((u) => {
      const events =
        stories.get(u.email) ??
        // The named accounts above: one change, from where they were.
        (u.status === "inactive" || u.status === "archived"
          ? play("active", [u.status === "inactive" ? "deactivate" : "archive"]).events.map(
              (e) => ({ ...e, at: u.changedAt ?? ago(30) }),
            )
          : []);
      return events.map((e) => ({
        actorId: admin.id,
        action: e.action,
        targetId: u.id,
        fromStatus: e.from,
        toStatus: e.to,
        reason: "Demo data",
        at: e.at,
      }));
    });
    if (history.length > 0) await tx.insert(auditEvents).values(history);

    // Records: the departing member owns both kinds; some active and inactive users own a few.
    const departing = byEmail.get("departing@roster.test");
    if (!departing) throw new Error("demo seed: departing missing");
    const owners = inserted.filter((u) => u.status === "active" || u.status === "inactive");
    const projectRows = [
      { name: "Website relaunch", ownerId: departing.id },
      { name: "Q3 onboarding", ownerId: departing.id },
      { name: "Customer interviews", ownerId: departing.id },
    ];
    const automationRows = [
      { name: "Weekly digest", ownerId: departing.id },
      { name: "Invoice reminders", ownerId: departing.id },
    ];
    const topics = ["Roadmap", "Billing", "Support queue", "Hiring", "Launch", "Research", "Docs"];
    for (let i = 0; i < 40; i++) {
      const owner = owners[(i * 5 + 11) % owners.length];
      if (!owner || owner.id === departing.id) continue;
      if (i % 3 === 0)
        automationRows.push({ name: `${pick(topics)} sync ${i}`, ownerId: owner.id });
      else projectRows.push({ name: `${pick(topics)} ${i}`, ownerId: owner.id });
    }
    await tx.insert(projects).values(projectRows);
    await tx.insert(automations).values(automationRows);
    await tx.insert(workspaceMeta).values({ key: "demo", value: now.toISOString() });
  });
}

export async function isDemoLoaded(db: Db): Promise<boolean> {
  const [marker] = await db.select().from(workspaceMeta).where(eq(workspaceMeta.key, "demo"));
  return Boolean(marker);
}
