import { expect, openUsers, tabCount, test, toastWith, userRow } from "./fixtures";

test("bulk archive of all users matching a search, across pages, less one unchecked", async ({
  adminPage: page,
}) => {
  // 14 inactive Eriksens, 10 a page: the selection has to reach past the first page.
  await openUsers(page, "inactive", "eriksen", "size=10");
  await expect(page.getByText("14 users", { exact: true })).toBeVisible();
  await expect(page.getByRole("row")).toHaveCount(11);
  const archivedBefore = await tabCount(page, "archived");

  await page.getByRole("checkbox", { name: "Select all on this page" }).check();
  await expect(page.getByText("10 selected")).toBeVisible();
  await page.getByRole("button", { name: "Select all 14 matching" }).click();
  await expect(page.getByText("14 selected")).toBeVisible();
  // Unchecking a row in "all matching" leaves it out.
  await page.getByRole("checkbox", { name: "Select Bianca Eriksen" }).uncheck();
  await expect(page.getByText("13 selected")).toBeVisible();

  const bulk = page.getByRole("group", { name: "Bulk actions" });
  await expect(bulk.getByRole("button")).toHaveText([
    "Reactivate",
    "Re-invite",
    "Change role",
    "Archive",
    "Delete permanently",
  ]);
  await bulk.getByRole("button", { name: "Archive", exact: true }).click();

  // Two of them own records: one new owner takes them all.
  const transfer = page.getByRole("dialog", { name: "Transfer ownership" });
  await expect(transfer).toContainText("Amir Eriksen: 1 automation");
  await expect(transfer).toContainText("Victor Eriksen: 1 project");
  await transfer.getByRole("combobox", { name: "New owner" }).fill("Adam");
  await transfer.getByRole("option", { name: /Adam Admin/ }).click();
  await transfer.getByRole("button", { name: "Continue" }).click();

  const confirm = page.getByRole("alertdialog", { name: "Archive 13 users?" });
  await expect(confirm).toContainText("13 users will be archived");
  await expect(confirm).toContainText("and 8 more.");
  // "See all" by keyboard: the next page of who will change joins the list.
  await confirm.getByRole("button", { name: "See all" }).press("Enter");
  const list = confirm.getByRole("list", { name: "Users this affects" });
  await expect(list.getByRole("listitem")).toHaveCount(13);
  await expect(list).toContainText("Zoe Eriksen");
  await expect(list).not.toContainText("Bianca Eriksen");
  // The confirm button carries the verb and how many will change.
  await confirm.getByRole("button", { name: "Archive 13 users", exact: true }).click();

  await expect(toastWith(page, "Archived 13 users.")).toBeVisible();
  // The selection is cleared once the action is done.
  await expect(page.getByText("13 selected")).toBeHidden();
  await expect(page.getByText("1 user", { exact: true })).toBeVisible();
  await expect(userRow(page, "Bianca Eriksen")).toContainText("Inactive");
  await expect.poll(() => tabCount(page, "archived")).toBe(archivedBefore + 13);

  await openUsers(page, "archived", "eriksen");
  await expect(page.getByText("13 users", { exact: true })).toBeVisible();
});

test("checking only rows nobody can act on: the bar says why instead of offering nothing", async ({
  adminPage: page,
}) => {
  await openUsers(page, "active", "adam admin");
  await page.getByRole("checkbox", { name: "Select Adam Admin" }).check();
  await expect(page.getByText("1 selected")).toBeVisible();
  await expect(
    page.getByText(
      "No action you can take on this user. That's you: nobody acts on their own account.",
    ),
  ).toBeVisible();
  await expect(page.getByRole("group", { name: "Bulk actions" })).toHaveCount(0);
});
