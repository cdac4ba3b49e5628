import AxeBuilder from "@axe-core/playwright";
import { expect, pageAs, test } from "./fixtures";

test.describe("invitation page and mailbox", () => {
  for (const token of ["garbage", "A".repeat(43)]) {
    test(`an unknown link (${token.slice(0, 8)}…) gets a clear page, not an error`, async ({
      page,
    }) => {
      const response = await page.goto(`/invite/${token}`);
      expect(response?.status()).toBe(200);
      await expect(page.getByRole("heading", { name: "Invitation not found" })).toBeVisible();
      await expect(page.getByText("This invitation link isn't valid.")).toBeVisible();
      await expect(page.getByRole("button", { name: "Accept invitation" })).toHaveCount(0);
      await expect(page.getByRole("link", { name: "Go to sign-in" })).toHaveAttribute(
        "href",
        "/sign-in",
      );
      const { violations } = await new AxeBuilder({ page }).analyze();
      expect(violations).toEqual([]);
    });
  }

  test("an admin sees the mailbox", async ({ adminPage: page }) => {
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Mailbox" })
      .click();
    await expect(page).toHaveURL(/\/mailbox$/);
    await expect(page.getByRole("heading", { name: "Mailbox", level: 1 })).toBeVisible();
    await expect(page.getByRole("note")).toContainText("No SMTP server is set");
    await expect(page.getByRole("navigation", { name: "Mailbox pages" })).toContainText(
      /page 1 of \d+/,
    );
    await page.getByLabel("Recipient").fill("nobody-at-all@nowhere.test");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page).toHaveURL(/to=nobody-at-all/);
    await expect(page.getByText("No emails to an address containing")).toBeVisible();
  });

  test("a manager may not open the mailbox", async ({ browser }) => {
    const page = await pageAs(browser, "manager");
    await expect(
      page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Mailbox" }),
    ).toHaveCount(0);
    await page.goto("/mailbox");
    await expect(
      page.getByRole("heading", { name: "You don't have access to the admin console" }),
    ).toBeVisible();
    await expect(page.getByRole("heading", { name: "Mailbox", level: 1 })).toHaveCount(0);
    await page.context().close();
  });

  test("signed-out visitors are sent to sign-in", async ({ page }) => {
    await page.goto("/mailbox");
    await expect(page).toHaveURL(/\/sign-in/);
  });
});
