import {
  expect,
  openUsers,
  pageAs,
  rowAction,
  tabCount,
  test,
  toastWith,
  userRow,
} from "./fixtures";

test.describe("reject and approve, as a manager", () => {
  test("a request is rejected, then approved from Rejected", async ({ browser }) => {
    const page = await pageAs(browser, "manager");
    const name = "Ava Eriksen";
    await openUsers(page, "pending", name);
    const rejectedBefore = await tabCount(page, "rejected");
    await rowAction(page, name, "Reject");
    const reject = page.getByRole("alertdialog", { name: `Reject ${name}?` });
    await expect(reject).toContainText("Their request is declined");
    await reject.getByLabel("Reason").fill("Not a customer");
    await reject.getByRole("button", { name: "Reject", exact: true }).click();
    await expect(toastWith(page, "Rejected 1 user.")).toBeVisible();
    await expect(userRow(page, name)).toHaveCount(0);
    await expect.poll(() => tabCount(page, "rejected")).toBe(rejectedBefore + 1);

    await openUsers(page, "rejected", name);
    await expect(userRow(page, name)).toContainText("Rejected");
    await rowAction(page, name, "Approve");
    const approve = page.getByRole("alertdialog", { name: `Approve ${name}?` });
    await expect(approve).toContainText("They become active members");
    await approve.getByRole("button", { name: "Approve", exact: true }).click();
    await expect(toastWith(page, "Approved 1 user.")).toBeVisible();
    await expect.poll(() => tabCount(page, "rejected")).toBe(rejectedBefore);

    await openUsers(page, "active", name);
    await expect(userRow(page, name)).toContainText("Active");
    await page.context().close();
  });

  test("a pending request is approved and takes a seat", async ({ browser }) => {
    const page = await pageAs(browser, "manager");
    const name = "Ben Eriksen";
    const seats = page.getByTestId("seats");
    // Read once the header shows it (a read during the sign-in redirect found no number).
    await expect(seats).toHaveText(/^\d+ of \d+ seats/);
    const used = Number((await seats.textContent())?.match(/^(\d+)/)?.[1]);
    expect(used).not.toBeNaN();
    await openUsers(page, "pending", name);
    const pendingBefore = await tabCount(page, "pending");
    await rowAction(page, name, "Approve");
    const approve = page.getByRole("alertdialog", { name: `Approve ${name}?` });
    await expect(approve).toContainText(/Uses 1 of \d+ free seats/);
    await approve.getByRole("button", { name: "Approve", exact: true }).click();
    await expect(toastWith(page, "Approved 1 user.")).toBeVisible();
    await expect.poll(() => tabCount(page, "pending")).toBe(pendingBefore - 1);
    await expect(seats).toHaveText(new RegExp(`^${used + 1} of \\d+ seats`));

    await openUsers(page, "active", name);
    await expect(userRow(page, name)).toContainText("Active");
    await page.context().close();
  });
});
