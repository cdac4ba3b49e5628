import type { Page } from "@playwright/test";
import { expect, pageAs, test, userRow } from "./fixtures";

// Read-only: these tests look, filter and navigate; they never change data.

/** Opens a user's detail page from the users table (searching the given tab). */
async function openUser(page: Page, name: string, tab = "active") {
  await page.goto(`/users?tab=${tab}&q=${encodeURIComponent(name)}`);
  await page.getByRole("link", { name, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: new RegExp(name) })).toBeVisible();
  await expect(page).toHaveURL(/\/users\/[0-9a-f-]{36}$/);
}

function dayUtc(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

test.describe("user detail", () => {
  test("the departing member: profile, every owned record by kind, and history", async ({
    adminPage: page,
  }) => {
    // archive.spec (earlier in a full run) archives her and hands her records to Adam Admin:
    // then her history says so, and the records are listed on the new owner's page.
    await page.goto("/users?tab=archived&q=Dora+Departing");
    await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
    const archived = (await page.getByRole("link", { name: "Dora Departing" }).count()) > 0;
    await openUser(page, "Dora Departing", archived ? "archived" : "active");
    const profile = page.getByRole("region", { name: "Profile" });
    await expect(profile.getByText("departing@roster.test")).toBeVisible();
    await expect(profile.getByText("member", { exact: true })).toBeVisible();
    await expect(profile.getByText("Created")).toBeVisible();
    await expect(profile.getByText("Last sign-in")).toBeVisible();
    await expect(page.getByText(/\d+ of \d+ seats/)).toBeVisible();
    const history = page.getByRole("region", { name: "History" });
    await expect(history.getByRole("heading", { name: "History" })).toBeVisible();

    if (archived) {
      await expect(profile.getByText("Previous status")).toBeVisible();
      const entry = history.getByRole("listitem").filter({ hasText: "Archived by" });
      await expect(entry).toContainText("Records moved: 3 projects, 2 automations to");
      await expect(page.getByRole("region", { name: "Owned records" })).toContainText(
        "Owns no records.",
      );
      await entry.getByRole("link").last().click();
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    }
    const owned = page.getByRole("region", { name: "Owned records" });
    await expect(owned.getByRole("heading", { name: /^\d+ projects?$/ })).toBeVisible();
    await expect(owned.getByRole("heading", { name: /^\d+ automations?$/ })).toBeVisible();
    if (!archived) {
      await expect(owned.getByRole("heading", { name: "3 projects" })).toBeVisible();
      await expect(owned.getByRole("heading", { name: "2 automations" })).toBeVisible();
    }
    for (const name of [
      "Website relaunch",
      "Q3 onboarding",
      "Customer interviews",
      "Weekly digest",
      "Invoice reminders",
    ]) {
      await expect(owned.getByRole("listitem").filter({ hasText: name })).toBeVisible();
    }
  });

  test("an archived user: status, previous status and the history that explains it", async ({
    adminPage: page,
  }) => {
    await openUser(page, "Arthur Archived", "archived");
    const profile = page.getByRole("region", { name: "Profile" });
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Archived");
    await expect(profile.getByText("Previous status")).toBeVisible();
    await expect(profile.getByRole("definition").filter({ hasText: /^Active$/ })).toBeVisible();

    const history = page.getByRole("region", { name: "History" });
    const entry = history.getByRole("listitem").filter({ hasText: "Archived by" });
    await expect(entry).toBeVisible();
    await expect(entry.getByRole("link", { name: "Adam Admin" })).toHaveAttribute(
      "href",
      /\/users\/[0-9a-f-]{36}$/,
    );
    await expect(entry).toContainText("Reason: Demo data");
    await expect(page.getByRole("region", { name: "Owned records" })).toContainText(
      "Owns no records.",
    );
    await history.getByRole("link", { name: /audit log/ }).click();
    // The history links to the person's events by id (`target=id:<uuid>`), not by their name.
    await expect(page).toHaveURL(/\/audit\?target=id(:|%3A)[0-9a-f-]{36}$/);
    await expect(page.getByRole("row")).not.toHaveCount(1);
    for (const cell of await page.getByRole("row").locator("td:nth-child(4)").all()) {
      await expect(cell).toHaveText("Arthur Archived");
    }
  });

  test("an unknown or malformed id is a 404 page, not an error", async ({ adminPage: page }) => {
    for (const id of ["not-a-uuid", "00000000-0000-4000-8000-000000000000", "%27%3B--"]) {
      const response = await page.goto(`/users/${id}`);
      expect(response?.status()).toBe(404);
      await expect(page.getByRole("heading", { name: "User not found" })).toBeVisible();
      await expect(page.getByRole("link", { name: "Back to users" })).toBeVisible();
    }
  });
});

test.describe("audit log", () => {
  const actionCells = (page: Page) => page.locator("tbody tr td:nth-child(3)");

  test("lists events newest first, with names, and pages on the server", async ({
    adminPage: page,
  }) => {
    await page.goto("/audit");
    await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
    // Each event's own time (its first cell; a change of an access end date holds a time too).
    const times = await page
      .locator("tbody tr td:first-child time")
      .evaluateAll((els) => els.map((el) => el.getAttribute("datetime") ?? ""));
    expect(times.length).toBeGreaterThan(10);
    expect([...times].sort().reverse()).toEqual(times);
    await expect(page.getByText(/^1–50 of \d+ events$/)).toBeVisible();
    // Keyset pages: Next carries a cursor, and shows the events after the last one seen.
    await page.getByRole("link", { name: "Next page" }).click();
    await expect(page).toHaveURL(/[?&]cursor=/);
    await expect(page.getByText(/^51–\d+ of [\d,]+ events$/)).toBeVisible();
    const older = await page
      .locator("tbody tr td:first-child time")
      .evaluateAll((els) => els.map((el) => el.getAttribute("datetime") ?? ""));
    expect(older[0] ?? "").not.toBe("");
    expect((older[0] ?? "") <= (times[times.length - 1] ?? "")).toBe(true);
    await page.getByRole("link", { name: "First page" }).click();
    await expect(page.getByText(/^1–50 of \d+ events$/)).toBeVisible();
    await page.getByLabel("Rows per page").selectOption("25");
    await expect(page).toHaveURL(/\/audit\?size=25$/);
    await expect(page.locator("tbody tr")).toHaveCount(25);
  });

  test("filters by action, actor, target and dates, all in the URL", async ({
    adminPage: page,
  }) => {
    await page.goto("/audit");
    await page.getByLabel("Action").selectOption({ label: "Archive" });
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/action=archive/);
    await expect(actionCells(page).first()).toBeVisible();
    for (const text of await actionCells(page).allInnerTexts()) expect(text).toBe("Archive");

    await page.getByLabel("Target").fill("Arthur Archived");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/target=Arthur\+Archived/);
    await expect(page.locator("tbody tr")).toHaveCount(1);
    await expect(page.locator("tbody tr td:nth-child(4)")).toHaveText("Arthur Archived");

    await page.getByRole("link", { name: "Clear filters" }).click();
    await expect(page).toHaveURL(/\/audit$/);
    await page.getByLabel("Actor").fill("admin@roster.test");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/actor=admin%40roster\.test/);
    const actors = await page.locator("tbody tr td:nth-child(2)").allInnerTexts();
    expect(actors.length).toBeGreaterThan(0);
    for (const a of actors) expect(a).toBe("Adam Admin");

    // The demo history is dated 30 days before the server started; nothing is dated tomorrow.
    await page.goto(`/audit?from=${dayUtc(1)}`);
    await expect(page.getByText("No events match these filters.")).toBeVisible();
    await page.goto(`/audit?from=${dayUtc(-31)}&to=${dayUtc(-29)}&action=deactivate`);
    await expect(page.getByLabel("From")).toHaveValue(dayUtc(-31));
    await expect(page.getByLabel("Action")).toHaveValue("deactivate");
    await expect(actionCells(page).first()).toHaveText("Deactivate");
  });

  test("members get the no-access page", async ({ browser }) => {
    const page = await pageAs(browser, "member");
    await page.goto("/audit");
    await expect(
      page.getByRole("heading", { name: "You don't have access to the admin console" }),
    ).toBeVisible();
    await expect(page.getByRole("table")).toHaveCount(0);
    await page.context().close();
  });
});

test.describe("users filters", () => {
  test("role, never signed in and last sign-in before go into the URL and back out", async ({
    adminPage: page,
  }) => {
    await page.goto("/users?cursor=last");
    await page.getByRole("button", { name: /^Role/ }).click();
    await page.getByRole("menuitemcheckbox", { name: "Admin" }).click();
    await expect(page).toHaveURL(/\/users\?roles=admin$/);
    await page.getByRole("menuitemcheckbox", { name: "Manager" }).click();
    await expect(page).toHaveURL(/\/users\?roles=admin,manager$/);
    await page.keyboard.press("Escape");
    await expect(page.getByRole("button", { name: "Role: Admin, Manager" })).toBeVisible();
    // The table streams in again after the URL changes: read the rows once the skeleton is gone.
    await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
    await expect.poll(() => page.locator("tbody tr").count()).toBeGreaterThan(1);
    const roles = await page.locator("tbody tr").allInnerTexts();
    for (const row of roles) expect(row).toMatch(/\b(admin|manager)\b/i);

    await page.getByLabel("Never signed in").check();
    await expect(page).toHaveURL(/never=1/);
    await expect(page.getByLabel("Never signed in")).toBeChecked();

    await page.getByRole("button", { name: "Clear filters" }).click();
    await expect(page).toHaveURL(/\/users$/);

    await page.getByLabel("Last sign-in before").fill(dayUtc(-100));
    await expect(page).toHaveURL(new RegExp(`before=${dayUtc(-100)}`));
    await expect(page.getByRole("cell", { name: "Never" })).toHaveCount(0);

    // The search keeps the filters.
    await page.getByLabel("Search users").fill("a");
    await page.getByLabel("Search users").press("Enter");
    await expect(page).toHaveURL(new RegExp(`before=${dayUtc(-100)}.*q=a|q=a.*before=`));
  });

  test("Export CSV is offered to roles that may export, with the view's query", async ({
    browser,
  }) => {
    const manager = await pageAs(browser, "manager");
    await manager.goto("/users?tab=archived&roles=member&sort=email&dir=desc&page=2");
    await expect(manager.getByRole("link", { name: "Export CSV" })).toHaveAttribute(
      "href",
      "/users/export?tab=archived&roles=member&sort=email&dir=desc",
    );
    await manager.context().close();
    const support = await pageAs(browser, "support");
    await expect(support.getByRole("heading", { name: "Users" })).toBeVisible();
    await expect(support.getByRole("link", { name: "Export CSV" })).toHaveCount(0);
    await support.context().close();
  });
});

test.describe("theme and small screens", () => {
  test("the theme toggle switches to dark, remembers it, and back", async ({ adminPage: page }) => {
    const html = page.locator("html");
    const toggle = page.getByRole("button", { name: "Dark theme" });
    await expect(toggle).toHaveAttribute("aria-pressed", "false");
    await toggle.click();
    await expect(html).toHaveClass(/\bdark\b/);
    await expect(toggle).toHaveAttribute("aria-pressed", "true");
    expect(await page.evaluate(() => localStorage.getItem("roster-theme"))).toBe("dark");
    await page.goto("/audit");
    await expect(html).toHaveClass(/\bdark\b/);
    await expect(page.getByRole("button", { name: "Dark theme" })).toHaveAttribute(
      "aria-pressed",
      "true",
    );
    await page.getByRole("button", { name: "Light theme" }).click();
    await expect(html).not.toHaveClass(/\bdark\b/);
    await expect(page.getByRole("button", { name: "Light theme" })).toHaveAttribute(
      "aria-pressed",
      "true",
    );
    expect(await page.evaluate(() => localStorage.getItem("roster-theme"))).toBe("light");
    // "System" follows the browser's preference (light here) and is remembered as such.
    await page.emulateMedia({ colorScheme: "dark" });
    await page.getByRole("button", { name: "System theme" }).click();
    await expect(html).toHaveClass(/\bdark\b/);
    expect(await page.evaluate(() => localStorage.getItem("roster-theme"))).toBe("system");
    await page.emulateMedia({ colorScheme: "light" });
    await expect(html).not.toHaveClass(/\bdark\b/);
  });

  test("at 390 px the page never scrolls sideways; rows are cards with status and menu", async ({
    browser,
  }) => {
    const page = await pageAs(browser, "admin");
    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of ["/users", "/users?tab=archived", "/audit"]) {
      await page.goto(path);
      // Measure the loaded table, not the skeleton that streams first.
      await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
      const box = page.locator("table").first().locator("xpath=..");
      await expect(box).toBeVisible();
      expect(await box.evaluate((el) => el.scrollWidth <= el.clientWidth), path).toBe(true);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, `${path} is ${width}px wide`).toBeLessThanOrEqual(390);
    }
    // A user's card shows name, email, status and the row menu, all on screen.
    await page.goto("/users?q=member%40roster.test");
    const card = userRow(page, "Mel Member");
    await expect(card.getByText("member@roster.test")).toBeInViewport();
    await expect(card.getByText("Active", { exact: true })).toBeInViewport();
    await expect(card.getByRole("button", { name: "Actions for Mel Member" })).toBeInViewport();
    await page.goto("/users");
    await expect(page.getByRole("button", { name: "Dark theme" })).toBeInViewport();
    await expect(page.getByRole("button", { name: "Sign out" })).toBeInViewport();
    await expect(page.getByRole("link", { name: "Export CSV" })).toBeVisible();
    await openUser(page, "Arthur Archived", "archived");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      390,
    );
    await page.context().close();
  });
});
