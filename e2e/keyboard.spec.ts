import type { Locator, Page } from "@playwright/test";
import { expect, openUsers, test, toastWith, userRow } from "./fixtures";

const NAME = "Elena Anders"; // active, owns a project

/** Presses Tab until the target has the focus, as a keyboard user would. */
async function tabTo(page: Page, target: Locator, max = 80) {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error("Never reached the target with Tab");
}

/** Moves through an open menu with the arrow keys to an item, and picks it. */
async function pickMenuItem(page: Page, verb: string) {
  const item = page.getByRole("menuitem", { name: verb, exact: true });
  for (let i = 0; i < 10; i++) {
    if (await item.evaluate((el) => el === document.activeElement)) {
      await page.keyboard.press("Enter");
      return;
    }
    await page.keyboard.press("ArrowDown");
  }
  throw new Error(`Never reached ${verb} with the arrow keys`);
}

test("archive with ownership transfer, then restore, by keyboard only", async ({
  adminPage: page,
}) => {
  await openUsers(page, "active", NAME);
  const menuButton = page.getByRole("button", { name: `Actions for ${NAME}` });
  await tabTo(page, menuButton);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("menu")).toBeVisible();
  await pickMenuItem(page, "Archive");

  const transfer = page.getByRole("dialog", { name: "Transfer ownership" });
  const picker = transfer.getByRole("combobox", { name: "New owner" });
  await expect(picker).toBeFocused();
  await page.keyboard.type("adam");
  await expect(transfer.getByRole("option")).toHaveCount(1);
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await expect(transfer.getByRole("option", { name: /Adam Admin/ })).toHaveAttribute(
    "aria-selected",
    "true",
  );
  await tabTo(page, transfer.getByRole("button", { name: "Continue" }));
  await page.keyboard.press("Enter");

  const confirm = page.getByRole("alertdialog", { name: `Archive ${NAME}?` });
  await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
  await expect(confirm).toContainText("move to Adam Admin");
  await tabTo(page, confirm.getByRole("button", { name: "Archive", exact: true }));
  await page.keyboard.press("Enter");
  await expect(toastWith(page, "Archived 1 user.")).toBeVisible();
  await expect(confirm).toBeHidden();
  // The row is gone; focus lands on the table, not on the page's start.
  await expect(page.getByRole("region", { name: "Users" })).toBeFocused();

  await openUsers(page, "archived", NAME);
  await tabTo(page, page.getByRole("button", { name: `Actions for ${NAME}` }));
  await page.keyboard.press("Enter");
  await pickMenuItem(page, "Restore");
  const restore = page.getByRole("alertdialog", { name: `Restore ${NAME}?` });
  await expect(restore).toContainText("1 user will be restored");
  await tabTo(page, restore.getByRole("button", { name: "Restore", exact: true }));
  await page.keyboard.press("Enter");
  await expect(toastWith(page, "Restored 1 user.")).toBeVisible();

  await openUsers(page, "active", NAME);
  await expect(userRow(page, NAME)).toContainText("Active");
});

test("rows are selected with the keyboard, and the bulk bar is reachable", async ({
  adminPage: page,
}) => {
  await openUsers(page, "active", "Grace Anders");
  const box = page.getByRole("checkbox", { name: "Select Grace Anders" });
  await tabTo(page, box);
  await page.keyboard.press("Space");
  await expect(box).toBeChecked();
  await expect(page.getByText("1 selected")).toBeVisible();
  const deactivate = page
    .getByRole("group", { name: "Bulk actions" })
    .getByRole("button", { name: "Deactivate" });
  await tabTo(page, deactivate);
  await page.keyboard.press("Enter");
  const confirm = page.getByRole("alertdialog", { name: "Deactivate Grace Anders?" });
  await expect(confirm).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(confirm).toBeHidden();
  await expect(deactivate).toBeFocused();
  await expect(box).toBeChecked();
});
