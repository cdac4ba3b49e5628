import { DEACTIVATED_MESSAGE } from "../lib/sign-in-messages";
import {
  expect,
  openUsers,
  rowAction,
  signIn,
  tabCount,
  test,
  toastWith,
  userRow,
} from "./fixtures";

test.describe("deactivate and reactivate", () => {
  test("an admin deactivates a member, then reactivates them", async ({ adminPage: page }) => {
    const name = "Ben Anders";
    await openUsers(page, "active", name);
    const inactiveBefore = await tabCount(page, "inactive");
    await rowAction(page, name, "Deactivate");

    const confirm = page.getByRole("alertdialog", { name: `Deactivate ${name}?` });
    await expect(confirm).toContainText("They can't sign in; their data is kept");
    await expect(confirm).toContainText("1 user will be deactivated");
    // The least destructive choice comes first and has the focus.
    await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
    await confirm.getByLabel(`Notify ${name} by email`).check();
    await confirm.getByLabel("Reason").fill("On leave");
    await confirm.getByRole("button", { name: "Deactivate", exact: true }).click();

    await expect(toastWith(page, "Deactivated 1 user.")).toBeVisible();
    await expect(userRow(page, name)).toHaveCount(0);
    await expect.poll(() => tabCount(page, "inactive")).toBe(inactiveBefore + 1);

    await openUsers(page, "inactive", name);
    await expect(userRow(page, name)).toContainText("Inactive");
    await expect(userRow(page, name)).toContainText("by Adam Admin");
    await rowAction(page, name, "Reactivate");
    const again = page.getByRole("alertdialog", { name: `Reactivate ${name}?` });
    await expect(again).toContainText("They can sign in again");
    await expect(again).toContainText(/Uses 1 of \d+ free seats/);
    await again.getByRole("button", { name: "Reactivate", exact: true }).click();
    await expect(toastWith(page, "Reactivated 1 user.")).toBeVisible();
    await expect.poll(() => tabCount(page, "inactive")).toBe(inactiveBefore);

    await openUsers(page, "active", name);
    await expect(userRow(page, name)).toContainText("Active");
  });

  test("a deactivated manager's open session ends at their next request", async ({
    browser,
    adminPage: admin,
  }) => {
    const name = "Grace Bauer";
    const context = await browser.newContext();
    const grace = await context.newPage();
    await signIn(grace, "grace.bauer.36@roster.test");
    await grace.waitForURL("**/users");
    await expect(grace.getByRole("heading", { name: "Users" })).toBeVisible();

    await openUsers(admin, "active", name);
    await rowAction(admin, name, "Deactivate");
    const confirm = admin.getByRole("alertdialog", { name: `Deactivate ${name}?` });
    await confirm.getByRole("button", { name: "Deactivate", exact: true }).click();
    await expect(toastWith(admin, "Deactivated 1 user.")).toBeVisible();

    await grace.getByRole("tab", { name: /^Archived \d+$/ }).click();
    await expect(grace).toHaveURL(/\/sign-in/);
    // (After a client-side navigation Next's route announcer is an alert too.)
    await expect(grace.getByRole("alert").filter({ hasText: DEACTIVATED_MESSAGE })).toHaveText(
      DEACTIVATED_MESSAGE,
    );
    // And it stays ended: the console sends them back to sign-in.
    await grace.goto("/users");
    await expect(grace).toHaveURL(/\/sign-in/);
    await context.close();
  });
});
