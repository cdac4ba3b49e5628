import { expectAccessible } from "./axe";
import { expect, openUsers, rowAction, test, toastWith, userRow } from "./fixtures";

/*
 * The dormant-user policy as an admin walks it: turn it on, preview, save, run it now, and see
 * who it deactivated in the list and the audit log. At 250 days without signing in, leaving out
 * managers, the demo has three such members, all of whom never signed in (no other spec touches
 * them); the spec reactivates them and turns the policy off at the end. The server runs with
 * ROSTER_POLICY_TICK=off (playwright.config.ts): nothing runs by itself meanwhile.
 */
const DORMANT = ["Zoe Anders", "Jonas Bauer", "Noah Bauer"];

test("an admin turns on the dormant-user policy, previews it, runs it, and sees who it deactivated", async ({
  adminPage: page,
}) => {
  test.setTimeout(120_000);
  await page.goto("/settings");
  const section = page.getByRole("region", { name: "Dormant users" });
  const on = section.getByRole("switch", { name: "Deactivate dormant users" });
  await expect(on).not.toBeChecked();

  // Bad input is refused out loud and changes nothing.
  await on.check();
  await section.getByLabel("Days without signing in").fill("0");
  await section.getByRole("button", { name: "Save" }).click();
  await expect(section.getByRole("alert")).toContainText(/at least 1/);

  await section.getByLabel("Days without signing in").fill("250");
  await section.getByLabel("Warn them, days before").fill("0");
  await section.getByRole("checkbox", { name: "Manager" }).check();
  await section.getByRole("button", { name: "Preview" }).click();
  await expect(
    section.getByText("If the policy ran now, it would deactivate 3 users."),
  ).toBeVisible();

  await section.getByRole("button", { name: "Save" }).click();
  await expect(toastWith(page, "Dormant-user policy saved.")).toBeVisible();

  // The preview links to the same users in /users, as a filter that says what it is.
  await section.getByRole("link", { name: "See these 3 users in Users" }).click();
  await expect(page).toHaveURL(/\/users\?dormant=250\.30\.manager$/);
  await expect(
    page.getByText(
      "Dormant: no sign-in for 250 days; leaving out Manager; reactivated in the last 30 days exempt",
    ),
  ).toBeVisible();
  const rows = page
    .getByRole("table")
    .getByRole("row")
    .filter({ has: page.getByRole("cell") });
  await expect(rows).toHaveCount(DORMANT.length);
  for (const name of DORMANT) await expect(userRow(page, name)).toBeVisible();
  await expectAccessible(page, "/users filtered to the dormant-user policy");
  await page.getByRole("button", { name: "Remove the dormant-user filter" }).click();
  await expect(page).toHaveURL(/\/users$/);
  await page.goto("/settings");

  await section.getByRole("button", { name: "Run now" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Run the dormant-user policy now?" });
  await expect(confirm.getByRole("button", { name: "Cancel" })).toBeVisible();
  await confirm.getByRole("button", { name: "Run now" }).click();
  await expect(toastWith(page, /The policy is running: 3 users to change/)).toBeVisible();
  await expect
    .poll(
      async () => {
        await page.reload();
        return section.getByText(/^Last run: /).textContent();
      },
      { timeout: 30_000 },
    )
    .toMatch(/3 users changed\.$/);

  // The list and the audit log say who, and as whom.
  for (const name of DORMANT) {
    await openUsers(page, "inactive", name);
    await expect(userRow(page, name)).toContainText("Inactive");
  }
  await page.goto(`/audit?action=deactivate&target=${encodeURIComponent("Zoe Anders")}`);
  await expect(
    page.getByRole("row").filter({ hasText: "Policy: dormant users" }).first(),
  ).toBeVisible();
  await page.goto("/audit?action=change-setting");
  await expect(
    page.getByRole("cell", { name: /^Dormant users: Off → On: after 250 days/ }).first(),
  ).toBeVisible();

  // Put the demo back: the policy off, the three reactivated.
  await page.goto("/settings");
  await section.getByRole("switch", { name: "Deactivate dormant users" }).uncheck();
  await section.getByRole("button", { name: "Save" }).click();
  await expect(toastWith(page, "Dormant-user policy saved.")).toBeVisible();
  for (const name of DORMANT) {
    await openUsers(page, "inactive", name);
    await rowAction(page, name, "Reactivate");
    const again = page.getByRole("alertdialog", { name: `Reactivate ${name}?` });
    await again.getByRole("button", { name: "Reactivate", exact: true }).click();
    await expect(toastWith(page, "Reactivated 1 user.").last()).toBeVisible();
  }
});
