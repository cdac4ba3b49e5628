import { NO_DEFAULT_OWNER } from "../lib/policies/retention";
import { expect, openUsers, test, toastWith, userRow } from "./fixtures";

/*
 * The retention policy as an admin walks it, without deleting demo users (other specs need
 * them; lib/policies/retention.test.ts deletes for real): a policy of 46 days warns about Arthur
 * Archived (archived 45 days ago) in the Archived tab; Run now is refused until a default owner
 * is chosen, then runs a policy of 3,650 days, which finds nobody. Everything is put back.
 */
test("an admin sets the retention policy, sees who is due in the Archived tab, and runs it", async ({
  adminPage: page,
}) => {
  test.setTimeout(120_000);
  await page.goto("/settings");
  const section = page.getByRole("region", { name: "Retention" });
  const on = section.getByRole("switch", { name: "Delete archived users after" });
  const days = section.getByLabel("Days archived");
  await on.check();
  await days.fill("0");
  await section.getByRole("button", { name: "Save" }).click();
  await expect(section.getByRole("alert")).toContainText(/at least 1/);

  await days.fill("46");
  await section.getByRole("button", { name: "Preview" }).click();
  await expect(
    section.getByText(/^If the policy ran now, it would permanently delete \d+ users?\.$/),
  ).toBeVisible();
  await section.getByRole("button", { name: "Save" }).click();
  await expect(toastWith(page, "Retention policy saved.")).toBeVisible();

  await openUsers(page, "archived", "Arthur Archived");
  await expect(userRow(page, "Arthur Archived")).toContainText("Deleted in 1 day");

  // Nothing is deleted by this run: 3,650 days.
  await page.goto("/settings");
  await days.fill("3650");
  await section.getByRole("button", { name: "Save" }).click();
  await expect(toastWith(page, "Retention policy saved.")).toBeVisible();
  await section.getByRole("button", { name: "Run now" }).click();
  let confirm = page.getByRole("alertdialog", { name: "Run the retention policy now?" });
  await confirm.getByRole("button", { name: "Run now" }).click();
  await expect(confirm.getByRole("alert")).toHaveText(NO_DEFAULT_OWNER);
  await confirm.getByRole("button", { name: "Cancel" }).click();

  const provisioning = page.getByRole("region", { name: "Provisioning" });
  await provisioning.getByLabel("Default owner of records").fill("admin@roster.test");
  await provisioning
    .locator("form")
    .filter({ has: page.getByLabel("Default owner of records") })
    .getByRole("button", { name: "Save" })
    .click();
  await expect(toastWith(page, "Default owner saved.")).toBeVisible();
  await section.getByRole("button", { name: "Run now" }).click();
  confirm = page.getByRole("alertdialog", { name: "Run the retention policy now?" });
  await confirm.getByRole("button", { name: "Run now" }).click();
  await expect(toastWith(page, /The policy is running: 0 users to change/)).toBeVisible();
  await expect
    .poll(
      async () => {
        await page.reload();
        return section.getByText(/^Last run: /).textContent();
      },
      { timeout: 30_000 },
    )
    .toMatch(/0 users changed\.$/);
  await openUsers(page, "archived", "Arthur Archived");
  await expect(userRow(page, "Arthur Archived")).not.toContainText("Deleted in");

  await page.goto("/audit?action=change-setting");
  await expect(
    page
      .getByRole("cell", {
        name: /^Retention: Off → On: delete users archived for more than 46 days$/,
      })
      .first(),
  ).toBeVisible();

  // Put everything back.
  await page.goto("/settings");
  await on.uncheck();
  await section.getByRole("button", { name: "Save" }).click();
  await expect(toastWith(page, "Retention policy saved.")).toBeVisible();
  await provisioning.getByLabel("Default owner of records").fill("");
  await provisioning
    .locator("form")
    .filter({ has: page.getByLabel("Default owner of records") })
    .getByRole("button", { name: "Save" })
    .click();
  await expect(toastWith(page, "Default owner saved.").last()).toBeVisible();
});
