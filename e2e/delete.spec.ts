import { expect, openUsers, rowAction, test, toastWith, userRow } from "./fixtures";

const NAME = "Hugo Anders";

test("permanent delete needs the typed word, and the user is gone from every tab", async ({
  adminPage: page,
}) => {
  await openUsers(page, "active", NAME);
  await rowAction(page, NAME, "Delete permanently");
  const confirm = page.getByRole("alertdialog", { name: `Permanently delete ${NAME}?` });
  await expect(confirm).toContainText("This can't be undone.");
  await expect(confirm).toContainText("1 user will be deleted");

  const button = confirm.getByRole("button", { name: "Delete permanently", exact: true });
  const typed = confirm.getByLabel("Type DELETE to confirm");
  await expect(button).toBeDisabled();
  await typed.fill("delete");
  await expect(button).toBeDisabled();
  await typed.fill("DELETE");
  await expect(button).toBeEnabled();
  await button.click();

  await expect(toastWith(page, "Deleted 1 user.")).toBeVisible();
  // Nothing to undo.
  await expect(
    toastWith(page, "Deleted 1 user.").getByRole("button", { name: "Undo" }),
  ).toHaveCount(0);
  for (const tab of ["active", "pending", "inactive", "archived", "rejected"] as const) {
    await openUsers(page, tab, NAME);
    await expect(userRow(page, NAME)).toHaveCount(0);
    await expect(page.getByText("No users match this view")).toBeVisible();
  }
});

test("Escape cancels, nothing changes, and focus returns to the menu button", async ({
  adminPage: page,
}) => {
  await openUsers(page, "active", "Grace Anders");
  await rowAction(page, "Grace Anders", "Delete permanently");
  const confirm = page.getByRole("alertdialog", { name: "Permanently delete Grace Anders?" });
  await expect(confirm).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(confirm).toBeHidden();
  await expect(page.getByRole("button", { name: "Actions for Grace Anders" })).toBeFocused();
  await expect(userRow(page, "Grace Anders")).toContainText("Active");
});
