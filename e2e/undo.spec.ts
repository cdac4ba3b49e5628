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

  test("undoing an archive with transfer gives the records back, and says so", async ({
    adminPage: page,
  }) => {
    const name = "Victor Bauer"; // active member, 1 record
    await openUsers(page, "active", name);
    await expect(userRow(page, name).getByRole("cell").nth(6)).toHaveText("1");
    await rowAction(page, name, "Archive");
    const transfer = page.getByRole("dialog", { name: "Transfer ownership" });
    await transfer.getByRole("combobox", { name: "New owner" }).fill("adam");
    await transfer.getByRole("option", { name: /Adam Admin/ }).click();
    await transfer.getByRole("button", { name: "Continue" }).click();
    await page
      .getByRole("alertdialog", { name: `Archive ${name}?` })
      .getByRole("button", { name: "Archive", exact: true })
      .click();
    const toast = toastWith(page, "Archived 1 user.");
    await toast.getByRole("button", { name: "Undo" }).click();
    await expect(
      toastWith(page, "Restored 1 user. 1 record went back to their owners."),
    ).toBeVisible();
    await openUsers(page, "active", name);
    await expect(userRow(page, name).getByRole("cell").nth(6)).toHaveText("1");
  });
});

test("a mixed result links to the full result, with each skipped user and why", async ({
  adminPage: page,
}) => {
  await openUsers(page, "active", "dubois", "size=50");
  await page.getByRole("checkbox", { name: "Select Yara Dubois" }).check(); // invited
  await page.getByRole("checkbox", { name: "Select Ben Dubois" }).check(); // active
  await page
    .getByRole("group", { name: "Bulk actions" })
    .getByRole("button", { name: "Re-invite", exact: true })
    .click();
  await page
    .getByRole("alertdialog")
    .getByRole("button", { name: "Re-invite", exact: true })
    .click();
  const toast = toastWith(page, "Re-invited 1 user. 1 skipped: Ben Dubois");
  await toast.getByRole("button", { name: "See full result" }).click();
  const result = page.getByRole("dialog", { name: "Result" });
  await expect(result.getByRole("region", { name: "Re-invited" })).toContainText("Yara Dubois");
  await expect(result.getByRole("region", { name: "Skipped" })).toContainText(
    "Ben Dubois: Not in a status this action applies to.",
  );
  await result.getByRole("button", { name: "Close" }).click();
  await expect(result).toBeHidden();
});

test("a row menu with nothing to offer says why", async ({ adminPage: page }) => {
  await openUsers(page, "active", "owner@roster.test");
  await expect(
    page.getByRole("button", { name: "Actions for Olivia Owner" }),
  ).toHaveAccessibleDescription("The workspace owner can't be changed.");
  await openUsers(page, "active", "admin@roster.test");
  await expect(
    page.getByRole("button", { name: "Actions for Adam Admin" }),
  ).toHaveAccessibleDescription("That's you: nobody acts on their own account.");
});
