import { expect, openUsers, test } from "./fixtures";

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
