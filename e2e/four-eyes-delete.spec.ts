import type { Page } from "@playwright/test";
import { expectAccessible } from "./axe";
import { expect, openUsers, pageAs, rowAction, test, toastWith, userRow } from "./fixtures";

/*
 * Four-eyes delete as its people walk it: the owner turns on "Require a second admin to
 * delete"; Adam Admin deletes Victor Costa and is told a request was made (he can't approve his
 * own); the owner opens Requests from the nav's badge, approves, and Victor is gone, the audit
 * log saying requested and approved. A second request (Priya Costa) is declined by keyboard at
 * 390 px and she stays. No other spec touches either (e2e/fixtures.ts). The setting is put back
 * off at the end, whatever happens: later specs delete at once.
 */
const APPROVED = "Victor Costa";
const DECLINED = "Priya Costa";

async function setApproval(page: Page, on: boolean) {
  await page.goto("/settings");
  const section = page.getByRole("region", { name: "Deletion approval" });
  const toggle = section.getByRole("switch", { name: "Require a second admin to delete" });
  await toggle.setChecked(on);
  await section.getByRole("button", { name: "Save" }).click();
  await expect(toastWith(page, /^Saved: |^Nothing to save/)).toBeVisible();
}

async function requestDeletion(page: Page, name: string) {
  await openUsers(page, "active", name);
  const owned = (await userRow(page, name).getByRole("cell").nth(6).textContent()) ?? "";
  await rowAction(page, name, "Delete permanently");
  const confirm = page.getByRole("alertdialog", { name: `Permanently delete ${name}?` });
  // Someone who owns records: the new owner is chosen first, and kept with the request.
  const transfer = page.getByRole("dialog", { name: "Transfer ownership" });
  if (owned.trim() !== "0") {
    await transfer.getByRole("combobox", { name: "New owner" }).fill("adam");
    await transfer.getByRole("option", { name: /Adam Admin/ }).click();
    await transfer.getByRole("button", { name: "Continue" }).click();
  }
  await confirm.getByLabel("Type DELETE to confirm").fill("DELETE");
  await confirm.getByRole("button", { name: "Delete permanently", exact: true }).click();
  await expect(
    toastWith(page, "Deletion requested for 1 user: another admin must approve it."),
  ).toBeVisible();
  // Nothing was deleted yet.
  await openUsers(page, "active", name);
  await expect(userRow(page, name)).toContainText("Active");
}

test("an admin's delete waits for the owner's approval; the requester can't approve it", async ({
  adminPage: admin,
  browser,
}) => {
  test.setTimeout(150_000);
  const owner = await pageAs(browser, "owner");
  try {
    await setApproval(owner, true);

    await requestDeletion(admin, APPROVED);
    await admin
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Requests" })
      .click();
    await expect(admin.getByRole("heading", { level: 1, name: "Requests" })).toBeVisible();
    const own = admin.getByRole("article", { name: "Delete 1 user permanently" });
    await expect(own).toContainText(APPROVED);
    await expect(own).toContainText("You requested this");
    await expect(own.getByRole("button", { name: "Approve request" })).toHaveCount(0);

    // The owner sees it waiting in the nav, opens Requests, and approves.
    await owner.goto("/users");
    const link = owner
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: /^Requests\b/ });
    await expect(link).toHaveAccessibleName(/1 waiting$/);
    await link.click();
    await expect(owner.getByRole("heading", { level: 1, name: "Requests" })).toBeVisible();
    await expectAccessible(owner, "Requests");
    const request = owner.getByRole("article").filter({ hasText: APPROVED });
    await expect(request).toContainText("Adam Admin");
    await request.getByRole("button", { name: "Approve request" }).click();
    await expect(toastWith(owner, "Request approved. Deleted 1 user.")).toBeVisible();
    await expect(owner.getByText("No deletion requests are waiting.")).toBeVisible();
    await openUsers(owner, "active", APPROVED);
    await expect(userRow(owner, APPROVED)).toHaveCount(0);

    // The audit log: requested by the admin, approved by the owner.
    for (const [action, actor] of [
      ["deletion-requested", "Adam Admin"],
      ["deletion-approved", "Olivia Owner"],
    ] as const) {
      await owner.goto(`/audit?action=${action}`);
      await expect(owner.getByRole("row").filter({ hasText: actor }).first()).toBeVisible();
    }

    // A second request, declined by keyboard on a phone: she stays.
    await requestDeletion(admin, DECLINED);
    await owner.setViewportSize({ width: 390, height: 844 });
    await owner.goto("/requests");
    await expectAccessible(owner, "Requests at 390 px");
    expect(
      await owner.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    ).toBe(true);
    const second = owner.getByRole("article").filter({ hasText: DECLINED });
    const decline = second.getByRole("button", { name: "Decline request" });
    await decline.focus();
    await expect(decline).toBeFocused();
    await owner.keyboard.press("Enter");
    await expect(toastWith(owner, "Request declined: nobody was deleted.")).toBeVisible();
    await openUsers(owner, "active", DECLINED);
    await expect(userRow(owner, DECLINED)).toContainText("Active");
  } finally {
    // In a fresh browser, whatever state the spec stopped in: later specs delete at once.
    await owner.context().close();
    const reset = await pageAs(browser, "owner");
    await setApproval(reset, false);
    await reset.context().close();
  }
});
