import type { Locator, Page } from "@playwright/test";
import { expectAccessible } from "./axe";
import { expect, openUsers, test, toastWith, userRow } from "./fixtures";

// schedule-deactivation.spec acts on Uma Costa (active member) alone.
const NAME = "Uma Costa";
const ZONE = "America/New_York";
// The admin's browser is in New York: the dialog takes and the list shows that zone's time.
test.use({ timezoneId: ZONE });

/** Presses Tab until the target has the focus, as a keyboard user would. */
async function tabTo(page: Page, target: Locator, max = 40) {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error("Never reached the target with Tab");
}

/** Moves through an open menu with the arrow keys to an item, and picks it. */
async function pickMenuItem(page: Page, verb: string) {
  const item = page.getByRole("menuitem", { name: verb, exact: true });
  for (let i = 0; i < 15; i++) {
    if (await item.evaluate((el) => el === document.activeElement)) {
      await page.keyboard.press("Enter");
      return;
    }
    await page.keyboard.press("ArrowDown");
  }
  throw new Error(`Never reached ${verb} with the arrow keys`);
}

/** A day `days` from now at 09:30 in New York, as the date-and-time field takes it. */
function localInput(days: number): { input: string; day: string; full: RegExp } {
  const at = new Date(Date.now() + days * 86_400_000);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", {
      timeZone: ZONE,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const input = `${parts.year}-${parts.month}-${parts.day}T09:30`;
  const day = new Intl.DateTimeFormat("en", {
    month: "short",
    day: "numeric",
    timeZone: ZONE,
  }).format(at);
  const long = new Intl.DateTimeFormat("en", {
    dateStyle: "medium",
    timeZone: ZONE,
  }).format(at);
  return { input, day, full: new RegExp(`${long}, 9:30\\s?AM E[SD]T`) };
}

test("an admin schedules a deactivation by keyboard, sees the badge, the filter and the audit, then clears it", async ({
  adminPage: page,
}) => {
  // Two axe passes and five page loads: more than the default minute on a loaded machine.
  test.setTimeout(240_000);
  const when = localInput(10);
  await openUsers(page, "active", NAME);
  await tabTo(page, page.getByRole("button", { name: `Actions for ${NAME}` }));
  await page.keyboard.press("Enter");
  await pickMenuItem(page, "Schedule deactivation…");

  const dialog = page.getByRole("alertdialog", { name: `Schedule deactivation of ${NAME}?` });
  await expect(dialog).toContainText("Nothing changes now.");
  const field = dialog.getByLabel("Access ends on");
  // The dialog says which zone the time is in.
  await expect(field).toHaveAccessibleDescription(new RegExp(`In your time zone \\(${ZONE}\\)`));
  await expectAccessible(page, "the Schedule deactivation dialog at 1280 px");
  await page.setViewportSize({ width: 390, height: 844 });
  await expectAccessible(page, "the Schedule deactivation dialog at 390 px");
  await page.setViewportSize({ width: 1280, height: 800 });

  // A time that has passed is refused with a clear message, and nothing changes.
  await tabTo(page, field);
  await field.fill("2001-01-01T09:30");
  const submit = dialog.getByRole("button", { name: "Schedule deactivation…", exact: true });
  await tabTo(page, submit);
  await page.keyboard.press("Enter");
  await expect(dialog.getByRole("alert")).toContainText("Choose a time in the future");

  await tabTo(page, field);
  await field.fill(when.input);
  await tabTo(page, submit);
  await page.keyboard.press("Enter");
  await expect(toastWith(page, "Given a new access end date: 1 user.")).toBeVisible();
  await expect(dialog).toBeHidden();

  // The list: still active, with the badge in the admin's zone.
  await openUsers(page, "active", NAME);
  const row = userRow(page, NAME);
  await expect(row).toContainText("Active");
  await expect(row.getByText(`Access ends ${when.day}`, { exact: true })).toBeVisible();

  // The filter keeps them (it is in the URL), and leaves out the other Costas.
  await openUsers(page, "active", "costa");
  await expect(userRow(page, "Theo Costa")).toBeVisible();
  await page.getByRole("checkbox", { name: "Access ending in the next 30 days" }).check();
  await expect(page).toHaveURL(/[?&]ending=(true|1)\b/);
  await expect(userRow(page, NAME)).toBeVisible();
  await expect(userRow(page, "Theo Costa")).toHaveCount(0);

  // The detail page: the date, and the event in its history, as the admin's zone shows it.
  await userRow(page, NAME).getByRole("link", { name: NAME, exact: true }).click();
  await expect(page.getByRole("heading", { name: new RegExp(NAME) })).toBeVisible();
  await expect(page.getByText(/^Access ends /).first()).toBeVisible();
  const history = page.getByRole("listitem").filter({ hasText: "Access end date changed" });
  await expect(history.first()).toContainText("Adam Admin");
  await expect(history.first()).toContainText(when.full);

  // Cleared from the detail page: an empty field, audited, and the badge goes.
  await page.getByRole("button", { name: `Actions for ${NAME}` }).click();
  await pickMenuItem(page, "Schedule deactivation…");
  const again = page.getByRole("alertdialog", { name: `Schedule deactivation of ${NAME}?` });
  await again.getByRole("button", { name: "Schedule deactivation…", exact: true }).click();
  await expect(toastWith(page, "Given a new access end date: 1 user.")).toBeVisible();
  await expect(page.getByText(/^Access ends /)).toHaveCount(0);
  await expect(
    page.getByRole("listitem").filter({ hasText: "Access end date changed" }),
  ).toHaveCount(2);

  // The audit log has both events.
  await page.goto(`/audit?target=${encodeURIComponent(NAME)}`);
  const events = page
    .getByRole("region", { name: "Audit events" })
    .getByRole("row")
    .filter({ hasText: "Schedule deactivation…" });
  await expect(events).toHaveCount(2);
  // Newest first: the clearing, then the setting (the names a screen reader reads).
  await expect(events.first()).toHaveAccessibleName(/Access ends: .+ to none/);
  await expect(events.last()).toHaveAccessibleName(/Access ends: none to /);
  await expect(events.last()).toContainText(when.full);
});
