import { expect, openUsers, test, userRow } from "./fixtures";

// Read-only: looks at the table's own controls.

test("hidden columns live in the URL and survive a reload", async ({ adminPage: page }) => {
  await openUsers(page, "archived", "Fischer");
  const headers = page.getByRole("columnheader");
  await expect(headers.filter({ hasText: "Email" })).toHaveCount(1);
  await expect(headers.filter({ hasText: "Created" })).toHaveCount(0);

  await page.getByRole("button", { name: "Columns" }).click();
  await page.getByRole("menuitemcheckbox", { name: "Email" }).click();
  await page.getByRole("menuitemcheckbox", { name: "Created" }).click();
  await page.keyboard.press("Escape");
  await expect(page).toHaveURL(/cols=email(&|$)/);
  await expect(headers.filter({ hasText: "Email" })).toHaveCount(0);
  await expect(headers.filter({ hasText: "Created" })).toHaveCount(1);

  await page.reload();
  await expect(headers.filter({ hasText: "Email" })).toHaveCount(0);
  await expect(headers.filter({ hasText: "Created" })).toHaveCount(1);
  await page.getByRole("button", { name: "Columns" }).click();
  await expect(page.getByRole("menuitemcheckbox", { name: "Email" })).toHaveAttribute(
    "aria-checked",
    "false",
  );
});

test("sorting by status change goes into the URL, newest first on the second click", async ({
  adminPage: page,
}) => {
  await openUsers(page, "archived");
  const link = page.getByRole("link", { name: "Status changed" });
  await link.click();
  await expect(page).toHaveURL(/sort=statusChanged/);
  await expect(page.getByRole("columnheader", { name: "Status changed" })).toHaveAttribute(
    "aria-sort",
    "ascending",
  );
  await page.getByRole("link", { name: "Status changed" }).click();
  await expect(page).toHaveURL(/sort=statusChanged&dir=desc/);
  await expect(page.getByRole("columnheader", { name: "Status changed" })).toHaveAttribute(
    "aria-sort",
    "descending",
  );
});

test("an empty view says so, and the selection bar never moves the table", async ({
  adminPage: page,
}) => {
  await openUsers(page, "rejected", "no-such-person-anywhere");
  await expect(page.getByRole("heading", { name: "No users match this view." })).toBeVisible();

  await openUsers(page, "rejected");
  const table = page.getByRole("table");
  const before = await table.boundingBox();
  await page.getByRole("checkbox", { name: "Select all on this page" }).check();
  await expect(page.getByText(/^\d+ selected$/)).toBeVisible();
  expect((await table.boundingBox())?.y).toBe(before?.y);
  await page.getByRole("button", { name: "Clear selection" }).click();
  await expect(page.getByRole("checkbox", { name: "Select all on this page" })).not.toBeChecked();
});

test("the tabs follow the ARIA tabs pattern: arrows move, Enter opens", async ({
  adminPage: page,
}) => {
  await openUsers(page, "active");
  const active = page.getByRole("tab", { name: /^Active \d+$/ });
  await expect(active).toHaveAttribute("tabindex", "0");
  await expect(page.getByRole("tab", { name: /^Pending \d+$/ })).toHaveAttribute("tabindex", "-1");
  await active.focus();
  await page.keyboard.press("ArrowRight");
  await expect(page.getByRole("tab", { name: /^Pending \d+$/ })).toBeFocused();
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("ArrowLeft");
  await expect(page.getByRole("tab", { name: /^Rejected \d+$/ })).toBeFocused();
  await page.keyboard.press("Home");
  await expect(active).toBeFocused();
  await page.keyboard.press("End");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/tab=rejected/);
  await expect(page.getByRole("tab", { name: /^Rejected \d+$/ })).toHaveAttribute(
    "aria-selected",
    "true",
  );
  await expect(page.getByRole("tabpanel")).toHaveAttribute("aria-labelledby", "users-tab-rejected");
});

test("search filters as you type, and Enter still works", async ({ adminPage: page }) => {
  await openUsers(page, "archived");
  await page.getByLabel("Search users").pressSequentially("Fischer", { delay: 30 });
  await expect(page).toHaveURL(/q=Fischer/);
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
  for (const row of await page.locator("tbody tr").allInnerTexts()) expect(row).toMatch(/Fischer/);

  await page.getByLabel("Search users").fill("Arthur");
  await page.getByLabel("Search users").press("Enter");
  await expect(page).toHaveURL(/q=Arthur/);
  await expect(page.getByRole("link", { name: "Arthur Archived", exact: true })).toBeVisible();
});

test("the Archived tab shows the previous status instead of the status", async ({
  adminPage: page,
}) => {
  await openUsers(page, "archived", "Arthur Archived");
  const headers = page.getByRole("columnheader");
  await expect(headers.filter({ hasText: "Previous status" })).toHaveCount(1);
  await expect(headers.filter({ hasText: /^Status$/ })).toHaveCount(0);
  await expect(userRow(page, "Arthur Archived").getByText("Active", { exact: true })).toBeVisible();
  await openUsers(page, "active");
  await expect(headers.filter({ hasText: "Previous status" })).toHaveCount(0);
  await expect(headers.filter({ hasText: /^Status$/ })).toHaveCount(1);
});

test("the selection is kept across pages and page sizes until cleared", async ({
  adminPage: page,
}) => {
  await openUsers(page, "active", "", "size=10");
  const firstPageRow = page.getByRole("checkbox", { name: /^Select (?!all)/ }).first();
  const firstName = (await firstPageRow.getAttribute("aria-label")) ?? "";
  await firstPageRow.check();
  await page.getByRole("link", { name: "Next page" }).click();
  await expect(page).toHaveURL(/cursor=/);
  await expect(page.getByRole("checkbox", { name: firstName })).toHaveCount(0);
  await page
    .getByRole("checkbox", { name: /^Select (?!all)/ })
    .first()
    .check();
  await expect(page.getByText("2 selected", { exact: true })).toBeVisible();

  // Back on the first page (by a keyset cursor), the first pick is still checked.
  await page.getByRole("link", { name: "Previous page" }).click();
  await expect(page.getByRole("checkbox", { name: firstName })).toBeChecked();
  await page.getByLabel("Rows per page").selectOption("25");
  await expect(page).toHaveURL(/size=25|^[^?]*$/);
  await expect(page.getByText("2 selected", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Clear selection" }).click();
  await expect(page.getByRole("checkbox", { name: firstName })).not.toBeChecked();
});

test("tab switches show that the new tab is loading", async ({ adminPage: page }) => {
  await openUsers(page, "active");
  // Hold the next navigation's response, to see the pending state.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route(/\/users\?tab=archived/, async (route) => {
    await held;
    await route.continue();
  });
  await page.getByRole("tab", { name: /^Archived \d+$/ }).click();
  await expect(page.getByRole("tab", { name: /^Archived \d+$/ })).toHaveAttribute(
    "aria-selected",
    "true",
  );
  await expect(page.getByRole("tablist")).toHaveAttribute("aria-busy", "true");
  release();
  await expect(page.getByRole("tablist")).toHaveAttribute("aria-busy", "false");
  await expect(page).toHaveURL(/tab=archived/);
});
