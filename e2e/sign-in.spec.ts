import { DEACTIVATED_MESSAGE, SIGN_IN_MESSAGES } from "../lib/sign-in-messages";
import { expect, pageAs, signIn, signInAlert, test } from "./fixtures";

test.describe("sign-in", () => {
  test("admin reaches the users page with every tab and its count", async ({ browser }) => {
    const page = await pageAs(browser, "admin");
    for (const name of ["Active", "Pending", "Inactive", "Archived", "Rejected"]) {
      await expect(page.getByRole("tab", { name: new RegExp(`^${name} \\d+$`) })).toBeVisible();
    }
    await expect(page.getByRole("tab", { name: /^Active \d+$/ })).toHaveAttribute(
      "aria-selected",
      "true",
    );
    await expect(page.getByText(/\d+ of \d+ seats/)).toBeVisible();
    await expect(page.getByRole("cell", { name: "admin@roster.test" })).toBeVisible();
  });

  for (const role of ["owner", "manager", "support"] as const) {
    test(`${role} reaches the console`, async ({ browser }) => {
      const page = await pageAs(browser, role);
      await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
      await expect(page.getByRole("tab", { name: /^Archived \d+$/ })).toBeVisible();
    });
  }

  test("a member is told the console is not for them", async ({ browser }) => {
    const page = await pageAs(browser, "member");
    await expect(
      page.getByRole("heading", { name: "You don't have access to the admin console" }),
    ).toBeVisible();
    await expect(page.getByRole("tab")).toHaveCount(0);
  });

  for (const email of ["inactive@roster.test", "archived@roster.test"]) {
    test(`${email} is refused with the deactivated message`, async ({ page }) => {
      await signIn(page, email);
      await expect(signInAlert(page)).toHaveText(DEACTIVATED_MESSAGE);
      await expect(page).toHaveURL(/\/sign-in/);
    });
  }

  test("a wrong password gets a message that reveals nothing", async ({ page }) => {
    await signIn(page, "inactive@roster.test", "not-the-password");
    await expect(signInAlert(page)).toHaveText(SIGN_IN_MESSAGES.invalid);
    await expect(signInAlert(page)).not.toContainText("deactivated");
    // An unknown account gets the very same words.
    await signIn(page, "nobody@roster.test", "whatever");
    await expect(signInAlert(page)).toHaveText(SIGN_IN_MESSAGES.invalid);
  });

  test("the console sends signed-out visitors to sign-in", async ({ page }) => {
    await page.goto("/users?tab=archived");
    await expect(page).toHaveURL(/\/sign-in/);
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  });
});
