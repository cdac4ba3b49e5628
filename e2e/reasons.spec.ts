import type { Page } from "@playwright/test";
import { expectAccessible } from "./axe";
import { expect, openUsers, pageAs, rowAction, test, toastWith, userRow } from "./fixtures";
import { callAction, serverActions } from "./server-actions";

/*
 * Issue 17 §1–2: the workspace's reasons, edited on /settings, picked in a confirmation, seen in
 * the list, the history and the audit log (which filters by them); "Notify <name> by email" on
 * archive. Acts on Chloe Bauer and Carlos Costa only, and puts the settings and both back.
 */

const DEFAULTS = ["Left the company", "Contract ended", "Duplicate account", "Security", "Other"];
const CHLOE = "Chloe Bauer";
const CARLOS = "Carlos Costa";

test("reasons: edit the list, require one, pick it, see it everywhere, filter the audit by it", async ({
  browser,
}) => {
  // Settings, two actions, four screens and three axe runs: longer than one flow.
  test.setTimeout(180_000);
  const page = await pageAs(browser, "admin");
  await page.goto("/settings");
  const section = page.getByRole("region", { name: "Reasons" });
  const list = section.getByLabel("Reasons offered, one per line");
  await expect(list).toHaveValue(DEFAULTS.join("\n"));

  // Too long: said out loud, nothing saved.
  await list.fill(`${DEFAULTS.join("\n")}\n${"x".repeat(81)}`);
  await section.getByRole("button", { name: "Save" }).click();
  await expect(section.getByRole("alert")).toContainText("Keep each reason to 80 characters");

  await list.fill(`Parental leave\n${DEFAULTS.join("\n")}`);
  await section.getByLabel("Require a reason for destructive actions").check();
  await section.getByRole("button", { name: "Save" }).click();
  await expect(toastWith(page, "Reasons saved.")).toBeVisible();
  await expectAccessible(page, "/settings with the Reasons section");

  // A destructive action now waits for a reason; the list's choices fill it.
  await openUsers(page, "active", CHLOE);
  await rowAction(page, CHLOE, "Deactivate");
  const confirm = page.getByRole("alertdialog", { name: `Deactivate ${CHLOE}?` });
  await expect(confirm).toContainText("1 user will be deactivated");
  const go = confirm.getByRole("button", { name: "Deactivate", exact: true });
  await expect(go).toBeDisabled();
  await expect(confirm.getByLabel(`Notify ${CHLOE} by email`)).not.toBeChecked();
  await confirm.getByRole("button", { name: "Parental leave" }).click();
  const reason = confirm.getByLabel("Reason");
  await expect(reason).toHaveValue("Parental leave");
  await reason.press("End");
  await reason.pressSequentially(": back in spring");
  await expect(confirm.getByRole("button", { name: "Parental leave" })).toHaveAttribute(
    "aria-pressed",
    "true",
  );
  await expectAccessible(page, "a confirmation with the reasons");
  await go.click();
  await expect(toastWith(page, "Deactivated 1 user.")).toBeVisible();

  // The list's Status changed column, the history, the audit log and its filter.
  const full = "Parental leave: back in spring";
  await openUsers(page, "inactive", CHLOE);
  await expect(userRow(page, CHLOE)).toContainText(full);
  await page.getByRole("link", { name: CHLOE, exact: true }).click();
  await expect(page.getByRole("region", { name: "History" })).toContainText(`Reason: ${full}`);

  await page.goto("/audit");
  await page.getByLabel("Reason").fill("Parental leave");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/reason=Parental(\+|%20)leave/);
  await expect(page.getByRole("row").filter({ hasText: "Parental leave" })).toHaveCount(1);
  await expect(page.getByRole("cell", { name: full })).toBeVisible();
  await expectAccessible(page, "/audit filtered by reason");
  await page.goto("/audit?action=change-setting");
  await expect(
    page.getByRole("cell", { name: "Reason for destructive actions: Optional → Required" }).first(),
  ).toBeVisible();

  // Archive with "Notify … by email": the email says what happened and whom to contact.
  await openUsers(page, "active", CARLOS);
  await rowAction(page, CARLOS, "Archive");
  const archive = page.getByRole("alertdialog", { name: `Archive ${CARLOS}?` });
  await archive.getByRole("button", { name: "Duplicate account" }).click();
  await archive.getByLabel(`Notify ${CARLOS} by email`).check();
  await archive.getByRole("button", { name: "Archive", exact: true }).click();
  await expect(toastWith(page, "Archived 1 user.")).toBeVisible();
  await page.goto("/mailbox?to=carlos.costa");
  await expect(page.getByText("Your Roster account has been archived")).toBeVisible();
  await expect(page.getByText(/contact your workspace admin/).first()).toBeVisible();

  // Everything back as it was, for the specs after this one.
  await openUsers(page, "archived", CARLOS);
  await rowAction(page, CARLOS, "Restore");
  await page
    .getByRole("alertdialog", { name: `Restore ${CARLOS}?` })
    .getByRole("button", { name: "Restore", exact: true })
    .click();
  await expect(toastWith(page, "Restored 1 user.")).toBeVisible();
  await openUsers(page, "inactive", CHLOE);
  await rowAction(page, CHLOE, "Reactivate");
  await page
    .getByRole("alertdialog", { name: `Reactivate ${CHLOE}?` })
    .getByRole("button", { name: "Reactivate", exact: true })
    .click();
  await expect(toastWith(page, "Reactivated 1 user.")).toBeVisible();
  await page.goto("/settings");
  await page.getByLabel("Reasons offered, one per line").fill(DEFAULTS.join("\n"));
  await page.getByLabel("Require a reason for destructive actions").uncheck();
  await page.getByRole("region", { name: "Reasons" }).getByRole("button", { name: "Save" }).click();
  await expect(toastWith(page, "Reasons saved.")).toBeVisible();
});

test("support can't save the list over HTTP, and an admin's bad list is refused in words", async ({
  browser,
}) => {
  const action = serverActions().find((a) => a.name === "saveSettingAction");
  if (!action) throw new Error("saveSettingAction is not in the build");
  const call = (page: Page, value: unknown) =>
    callAction(
      page.request,
      { ...action, url: "/settings" },
      JSON.stringify([{ setting: "reasons", value }]),
    );
  const support = await pageAs(browser, "support");
  const refused = await call(support, { list: ["Nope"], required: true });
  expect(refused.status()).toBe(200);
  expect(await refused.text()).toContain(
    "You don't have permission to change the workspace's settings.",
  );

  const admin = await pageAs(browser, "admin");
  const long = await call(admin, { list: ["x".repeat(81)], required: false });
  expect(long.status()).toBe(200);
  expect(await long.text()).toContain("Keep each reason to 80 characters");
  const twice = await call(admin, { list: ["Other", "other"], required: false });
  expect(await twice.text()).toContain("is in the list twice");

  await admin.goto("/settings");
  await expect(admin.getByLabel("Reasons offered, one per line")).toHaveValue(DEFAULTS.join("\n"));
  await expect(admin.getByLabel("Require a reason for destructive actions")).not.toBeChecked();
  for (const p of [support, admin]) await p.context().close();
});
