import { expect, openUsers, pageAs, rowAction, test, toastWith, userRow } from "./fixtures";

const NAME = "Carlos Anders";

test("when someone else acts first, the dialog says so, stays open and shows the new state", async ({
  browser,
}) => {
  const admin = await pageAs(browser, "admin");
  const owner = await pageAs(browser, "owner");
  for (const page of [admin, owner]) {
    await openUsers(page, "active", NAME);
    await rowAction(page, NAME, "Deactivate");
    await expect(page.getByRole("alertdialog")).toContainText("1 user will be deactivated");
  }

  await owner
    .getByRole("alertdialog")
    .getByRole("button", { name: "Deactivate", exact: true })
    .click();
  await expect(toastWith(owner, "Deactivated 1 user.")).toBeVisible();

  const dialog = admin.getByRole("alertdialog", { name: `Deactivate ${NAME}?` });
  await dialog.getByRole("button", { name: "Deactivate", exact: true }).click();
  await expect(dialog.getByRole("alert")).toContainText("1 user was changed by someone else");
  await expect(dialog).toBeVisible();
  // The preview ran again: he is now skipped, and there is nothing left to confirm.
  await expect(dialog).toContainText("Nobody in this selection can be changed.");
  await expect(dialog.getByRole("region", { name: "Will be skipped" })).toContainText(NAME);
  await expect(dialog.getByRole("button", { name: "Deactivate", exact: true })).toBeDisabled();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();

  await openUsers(admin, "inactive", NAME);
  await expect(userRow(admin, NAME)).toContainText("by Olivia Owner");
  await admin.context().close();
  await owner.context().close();
});
