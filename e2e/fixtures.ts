import {
  type Browser,
  type BrowserContext,
  test as base,
  expect,
  type Page,
} from "@playwright/test";

export const DEMO_PASSWORD = "roster-demo";
export type DemoRole = "owner" | "admin" | "manager" | "support" | "member";

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

type SavedSession = Awaited<ReturnType<BrowserContext["storageState"]>>;
/** Each role's session as the last sign-in left it, per worker (each worker has its own server). */
const savedSessions = new Map<DemoRole, SavedSession>();

/**
 * A new browser context signed in as the demo account of a role, on /users. The first call per
 * role signs in through the form; later ones reuse that session's cookie (a full sign-in is a
 * page, a form and ~0.5 s of scrypt on the server), and sign in again once it has ended (a spec
 * signed out, or ended the account's sessions). Specs that test signing in use signIn.
 */
export async function pageAs(browser: Browser, role: DemoRole): Promise<Page> {
  const saved = savedSessions.get(role);
  if (saved) {
    const context = await browser.newContext({ storageState: saved });
    const page = await context.newPage();
    await page.goto("/users");
    if (new URL(page.url()).pathname === "/users") return page;
    await context.close();
  }
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, `${role}@roster.test`);
  await page.waitForURL("**/users");
  savedSessions.set(role, await context.storageState());
  return page;
}

/** The sign-in page's message (Next's route announcer is an alert too: leave it out). */
export function signInAlert(page: Page) {
  return page.locator('[role="alert"]:not(#__next-route-announcer__)').filter({ hasText: /\S/ });
}

export const test = base.extend<{ adminPage: Page }>({
  adminPage: async ({ browser }, use) => {
    const page = await pageAs(browser, "admin");
    await use(page);
    await page.context().close();
  },
});

export { expect };

/*
 * Demo users each flow spec acts on. All specs share one demo database per run, so each spec
 * changes only its own users (never the role accounts, inactive@ or archived@):
 *
 *   archive.spec        Dora Departing (active, 3 projects + 2 automations) → records to Adam Admin
 *   restore.spec        Dana Fischer (archived from inactive) → Inactive;
 *                       Mira Fischer (archived from active) → restored with a new invitation
 *   deactivate.spec     Ben Anders (active member) deactivated then reactivated;
 *                       Grace Bauer (active manager, grace.bauer.36@) deactivated while signed in
 *   reinvite.spec       Liam Dubois (invited, liam.dubois.101@) re-invited and accepts
 *   reject-approve.spec Ava Eriksen (pending) rejected then approved; Ben Eriksen (pending) approved
 *   delete.spec         Hugo Anders (active member) deleted
 *   four-eyes-delete    Victor Costa (active) deleted on the owner's approval; Priya Costa
 *     .spec             (active) requested and declined; "Deletion approval" on, then put back off
 *   reasons.spec        Chloe Bauer (active) deactivated then reactivated; Carlos Costa (active)
 *                       archived with a notice then restored; the Reasons settings, put back
 *   bulk.spec           the 14 inactive Eriksens (search "eriksen" on Inactive): all 14 matching
 *                       selected, Bianca Eriksen unchecked, 13 archived at once; Amir Eriksen and
 *                       Victor Eriksen own a record each → Adam Admin
 *   conflict.spec       Carlos Anders (active member) deactivated by owner and admin at once
 *   undo.spec           Chloe Anders (archived, undone); Daniel Anders (deactivated, undone);
 *                       Victor Bauer (active, 1 record) archived with transfer, undone;
 *                       Yara Dubois (invited) re-invited with Ben Dubois (active) skipped
 *   keyboard.spec       Elena Anders (active, 1 project) archived with transfer, then restored
 *   import-csv.spec     imports three new invited users (*.importer@example.test); reads
 *                       member@roster.test (skipped: already a user)
 *   table.spec          read-only (columns, sort, empty view, selection bar)
 *   newcomer.spec       read-only (pager, tabs, audit cards; a Deactivate dialog on Grace Anders
 *                       cancelled)
 *   roles.spec          read-only (so are delete.spec's and keyboard.spec's cancelled dialogs):
 *                       Grace Anders (active), Priya Eriksen (pending), Jonas Fischer
 *                       (inactive), Yara Fischer (archived), Zoe Dubois (invited), Noah Garcia
 *                       (rejected), and the role accounts
 */

export type UsersTab = "active" | "pending" | "inactive" | "archived" | "rejected";
const TAB_NAMES: Record<UsersTab, string> = {
  active: "Active",
  pending: "Pending",
  inactive: "Inactive",
  archived: "Archived",
  rejected: "Rejected",
};

/** The users page on one tab, optionally searched (a spec's users are then on the first page). */
export async function openUsers(page: Page, tab: UsersTab, q = "", extra = "") {
  const params = new URLSearchParams({ tab });
  if (q) params.set("q", q);
  await page.goto(`/users?${params}${extra ? `&${extra}` : ""}`);
  await expect(
    page.getByRole("tab", { name: new RegExp(`^${TAB_NAMES[tab]} [\\d,]+$`) }),
  ).toHaveAttribute("aria-selected", "true");
}

/** The live count a tab shows ("Archived 12" → 12). */
export async function tabCount(page: Page, tab: UsersTab): Promise<number> {
  const name = await page
    .getByRole("tab", { name: new RegExp(`^${TAB_NAMES[tab]} [\\d,]+$`) })
    .textContent();
  const n = Number((name ?? "").replace(/\D+/g, ""));
  if (!Number.isFinite(n)) throw new Error(`No count in tab ${tab}: ${name}`);
  return n;
}

/** Opens a row's actions menu and picks an item by its exact verb. */
export async function rowAction(page: Page, name: string, verb: string) {
  await page.getByRole("button", { name: `Actions for ${name}` }).click();
  await page.getByRole("menuitem", { name: verb, exact: true }).click();
}

/** A user's row, found by the name link in it. */
export function userRow(page: Page, name: string) {
  return page.getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });
}

/** The toast that reports an action's result. */
export function toastWith(page: Page, text: string | RegExp) {
  return page.locator("[data-sonner-toast]").filter({ hasText: text });
}
