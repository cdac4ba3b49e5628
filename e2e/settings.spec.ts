import { expectAccessible, expectTheme, THEMES, themedPage, VIEWPORTS } from "./axe";
import { expect, pageAs, test, toastWith } from "./fixtures";

/*
 * /settings: the owner sets the seat limit, an admin the sender address; both are audited, and
 * nobody below admin gets in. Every change is put back, so later specs see the demo's 150 seats.
 */

test("the owner raises the seat limit; the header and the audit say so; then it goes back", async ({
  browser,
}) => {
  const page = await pageAs(browser, "owner");
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Settings" })
    .click();
  await expect(page.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();
  const field = page.getByLabel("Seat limit");
  await expect(field).toHaveValue("150");

  // Below the seats in use: refused, out loud, and nothing changes.
  await field.fill("3");
  await page.getByRole("region", { name: "Seats" }).getByRole("button", { name: "Save" }).click();
  await expect(page.getByText(/seats are in use \(invited and active users\)/)).toBeVisible();
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("seats")).toContainText("of 150 seats");

  await field.fill("160");
  await page.getByRole("region", { name: "Seats" }).getByRole("button", { name: "Save" }).click();
  await expect(toastWith(page, "Seat limit saved.")).toBeVisible();
  await expect(page.getByTestId("seats")).toContainText("of 160 seats");

  await page.goto("/audit?action=change-setting");
  await expect(page.getByRole("cell", { name: "Seat limit: 150 → 160" }).first()).toBeVisible();

  await page.goto("/settings");
  await page.getByLabel("Seat limit").fill("150");
  await page.getByRole("region", { name: "Seats" }).getByRole("button", { name: "Save" }).click();
  await expect(toastWith(page, "Seat limit saved.")).toBeVisible();
  await expect(page.getByTestId("seats")).toContainText("of 150 seats");
  await page.context().close();
});

test("an admin sets the sender address but may only read the seat limit", async ({ browser }) => {
  const page = await pageAs(browser, "admin");
  await page.goto("/settings");
  await expect(page.getByLabel("Seat limit")).toHaveAttribute("readonly", "");
  await expect(page.getByText("Only the workspace owner can change the seat limit.")).toBeVisible();
  await expect(
    page.getByRole("region", { name: "Seats" }).getByRole("button", { name: "Save" }),
  ).toHaveCount(0);

  const email = page.getByRole("region", { name: "Email" });
  const from = page.getByLabel("Sender address");
  // A header smuggled into the name is refused.
  await from.fill("Roster <roster@example.com> Bcc: someone@example.com");
  await email.getByRole("button", { name: "Save" }).click();
  await expect(email.getByText(/^Enter an address like roster@example\.com/)).toBeVisible();
  await from.fill("Roster <roster@example.com>");
  await email.getByRole("button", { name: "Save" }).click();
  await expect(toastWith(page, "Sender address saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Sender address")).toHaveValue("Roster <roster@example.com>");
  await page.getByLabel("Sender address").fill("");
  await email.getByRole("button", { name: "Save" }).click();
  await expect(toastWith(page, "Sender address saved.")).toBeVisible();
  await page.context().close();
});

test("an admin chooses the default owner and what SCIM does, audited by name; then puts them back", async ({
  browser,
}) => {
  const page = await pageAs(browser, "admin");
  await page.goto("/settings");
  const section = page.getByRole("region", { name: "Provisioning" });
  const ownerField = section.getByLabel("Default owner of records");
  await expect(ownerField).toHaveValue("");
  const saveOwner = section
    .locator("form")
    .filter({ has: page.getByLabel("Default owner of records") })
    .getByRole("button", { name: "Save" });
  // A manager can't take records: refused, and nothing changes.
  await ownerField.fill("manager@roster.test");
  await saveOwner.click();
  await expect(section.getByText(/^No active admin or owner has the email/)).toBeVisible();
  await expect(ownerField).toHaveAttribute("aria-invalid", "true");
  await ownerField.fill("ADMIN@roster.test");
  await saveOwner.click();
  await expect(toastWith(page, "Default owner saved.")).toBeVisible();

  const deleteChoice = section.getByLabel("When the identity provider deletes a user");
  await expect(deleteChoice).toHaveValue("archive");
  await deleteChoice.selectOption({ label: "Delete permanently" });
  await section
    .locator("form")
    .filter({ has: page.getByLabel("When the identity provider deletes a user") })
    .getByRole("button", { name: "Save" })
    .click();
  await expect(toastWith(page, "Saved: SCIM's DELETE now does that.")).toBeVisible();
  await page.reload();
  await expect(section.getByLabel("Default owner of records")).toHaveValue("admin@roster.test");
  await expect(deleteChoice).toHaveValue("delete");

  await page.goto("/audit?action=change-setting");
  await expect(
    page.getByRole("cell", { name: "Default owner of records: (none) → Adam Admin" }).first(),
  ).toBeVisible();
  await expect(
    page
      .getByRole("cell", {
        name: "What SCIM's DELETE does: Archive (restorable) → Delete permanently",
      })
      .first(),
  ).toBeVisible();

  await page.goto("/settings");
  await section.getByLabel("Default owner of records").fill("");
  await saveOwner.click();
  await expect(toastWith(page, "Default owner saved.")).toBeVisible();
  await deleteChoice.selectOption("archive");
  await section
    .locator("form")
    .filter({ has: page.getByLabel("When the identity provider deletes a user") })
    .getByRole("button", { name: "Save" })
    .click();
  await expect(toastWith(page, "Saved: SCIM's DELETE now does that.")).toBeVisible();
  await page.context().close();
});

test("nobody below admin sees Settings or gets in", async ({ browser }) => {
  for (const role of ["manager", "support"] as const) {
    const page = await pageAs(browser, role);
    await expect(
      page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }),
    ).toHaveCount(0);
    const response = await page.goto("/settings");
    expect(response?.status(), role).toBe(403);
    await expect(page.getByRole("heading", { name: "Settings", level: 1 })).toHaveCount(0);
    await page.context().close();
  }
});

for (const viewport of VIEWPORTS) {
  for (const theme of THEMES) {
    test(`the settings page at ${viewport.name}, ${theme}: axe finds nothing, the keyboard reaches Save`, async ({
      browser,
    }) => {
      const page = await themedPage(browser, theme, "owner", viewport);
      await page.goto("/settings");
      await expectTheme(page, theme);
      await expect(page.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();
      await expectAccessible(page, `/settings at ${viewport.name}, ${theme}`);
      await page.getByLabel("Seat limit").focus();
      await page.keyboard.press("Tab");
      await expect(
        page.getByRole("region", { name: "Seats" }).getByRole("button", { name: "Save" }),
      ).toBeFocused();
      // Nothing sticks out sideways on a phone.
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await page.context().close();
    });
  }
}
