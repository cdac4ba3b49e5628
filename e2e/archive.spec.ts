import { expect, openUsers, rowAction, tabCount, test, toastWith, userRow } from "./fixtures";

const DORA = "Dora Departing";
const ADAM = "Adam Admin";

test("archiving the departing member hands their records to the chosen admin", async ({
  adminPage: page,
}) => {
  await openUsers(page, "active", "admin@roster.test");
  const ownedByAdamBefore = Number(
    await userRow(page, ADAM).getByRole("cell").nth(6).textContent(),
  );
  const archivedBefore = await tabCount(page, "archived");

  await openUsers(page, "active", DORA);
  await expect(userRow(page, DORA).getByRole("cell").nth(6)).toHaveText("5");
  await rowAction(page, DORA, "Archive");

  // She owns records: the new owner is chosen first.
  const transfer = page.getByRole("dialog", { name: "Transfer ownership" });
  await expect(transfer).toBeVisible();
  await expect(transfer).toContainText(`${DORA}: 3 projects, 2 automations`);
  const continueButton = transfer.getByRole("button", { name: "Continue" });
  await expect(continueButton).toBeDisabled();
  await transfer.getByRole("combobox", { name: "New owner" }).fill("adam");
  await transfer.getByRole("option", { name: new RegExp(ADAM) }).click();
  await expect(continueButton).toBeEnabled();
  await continueButton.click();

  // Then the confirmation says what happens, to whom, and who receives the records.
  const confirm = page.getByRole("alertdialog", { name: `Archive ${DORA}?` });
  await expect(confirm).toBeVisible();
  await expect(confirm).toContainText("They can't sign in and disappear from every list");
  await expect(confirm).toContainText("1 user will be archived");
  await expect(confirm).toContainText(`move to ${ADAM}`);
  await confirm.getByLabel("Reason").fill("Left the company");
  await confirm.getByRole("button", { name: "Archive", exact: true }).click();

  await expect(confirm).toBeHidden();
  await expect(toastWith(page, "Archived 1 user.")).toBeVisible();
  await expect(page.getByText("No users match this view")).toBeVisible();
  await expect.poll(() => tabCount(page, "archived")).toBe(archivedBefore + 1);

  // In the Archived tab the status column is the one she came from.
  await openUsers(page, "archived", DORA);
  await expect(page.getByRole("columnheader", { name: /Previous status/ })).toBeVisible();
  await expect(userRow(page, DORA)).toContainText("Active");
  await expect(userRow(page, DORA).getByRole("cell").nth(6)).toHaveText("0");
  await expect(userRow(page, DORA)).toContainText(`by ${ADAM}`);

  await openUsers(page, "active", "admin@roster.test");
  await expect(userRow(page, ADAM).getByRole("cell").nth(6)).toHaveText(
    String(ownedByAdamBefore + 5),
  );
});
