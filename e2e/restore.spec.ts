import { expect, openUsers, rowAction, tabCount, test, toastWith, userRow } from "./fixtures";

test.describe("restore", () => {
  test("an archived user comes back to the status they were archived from", async ({
    adminPage: page,
  }) => {
    const name = "Dana Fischer"; // archived from inactive
    await openUsers(page, "archived", name);
    const inactiveBefore = await tabCount(page, "inactive");
    const archivedBefore = await tabCount(page, "archived");
    await rowAction(page, name, "Restore");

    const confirm = page.getByRole("alertdialog", { name: `Restore ${name}?` });
    await expect(confirm).toContainText("They return to the status they had before");
    await expect(confirm).toContainText("1 user will be restored");
    await expect(confirm.getByLabel("Send a new invitation instead")).not.toBeChecked();
    await expect(confirm.getByLabel(`Notify ${name} by email`)).not.toBeChecked();
    await confirm.getByRole("button", { name: "Restore", exact: true }).click();

    await expect(toastWith(page, "Restored 1 user.")).toBeVisible();
    await expect(confirm).toBeHidden();
    await expect(userRow(page, name)).toHaveCount(0);
    await expect.poll(() => tabCount(page, "archived")).toBe(archivedBefore - 1);
    await expect.poll(() => tabCount(page, "inactive")).toBe(inactiveBefore + 1);

    await openUsers(page, "inactive", name);
    await expect(userRow(page, name)).toContainText("Inactive");
  });

  test("restoring with a new invitation brings them back invited", async ({ adminPage: page }) => {
    const name = "Mira Fischer"; // archived from active
    await openUsers(page, "archived", name);
    await rowAction(page, name, "Restore");
    const confirm = page.getByRole("alertdialog", { name: `Restore ${name}?` });
    await expect(confirm).toContainText("1 user will be restored");
    await confirm.getByLabel("Send a new invitation instead").check();
    await confirm.getByLabel(`Notify ${name} by email`).check();
    await confirm.getByRole("button", { name: "Restore", exact: true }).click();
    await expect(toastWith(page, "Restored 1 user.")).toBeVisible();

    await openUsers(page, "active", name);
    await expect(userRow(page, name)).toContainText("Invited");
  });
});
