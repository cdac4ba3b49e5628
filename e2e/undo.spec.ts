import { expect, openUsers, rowAction, test, toastWith, userRow } from "./fixtures";

test.describe("undo from the result toast", () => {
  test("undoing an archive restores the user to where they were", async ({ adminPage: page }) => {
    const name = "Chloe Anders";
    await openUsers(page, "active", name);
    await rowAction(page, name, "Archive");
    const confirm = page.getByRole("alertdialog", { name: `Archive ${name}?` });
    await confirm.getByRole("button", { name: "Archive", exact: true }).click();
    const toast = toastWith(page, "Archived 1 user.");
    await expect(toast).toBeVisible();
    await expect(userRow(page, name)).toHaveCount(0);

    await toast.getByRole("button", { name: "Undo" }).click();
    await expect(toastWith(page, "Restored 1 user.")).toBeVisible();
    await expect(userRow(page, name)).toContainText("Active");
    await openUsers(page, "archived", name);
    await expect(userRow(page, name)).toHaveCount(0);
  });

  test("undoing a deactivation reactivates", async ({ adminPage: page }) => {
    const name = "Daniel Anders";
    await openUsers(page, "active", name);
    await rowAction(page, name, "Deactivate");
    await page
      .getByRole("alertdialog", { name: `Deactivate ${name}?` })
      .getByRole("button", { name: "Deactivate", exact: true })
      .click();
    const toast = toastWith(page, "Deactivated 1 user.");
    await toast.getByRole("button", { name: "Undo" }).click();
    await expect(toastWith(page, "Reactivated 1 user.")).toBeVisible();
    await openUsers(page, "active", name);
    await expect(userRow(page, name)).toContainText("Active");
  });
});
