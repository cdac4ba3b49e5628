import { expectAccessible, expectTheme, THEMES, themedPage, VIEWPORTS } from "./axe";
import { expect, openUsers, rowAction, tabCount, test } from "./fixtures";

/*
 * The console as a newcomer meets it (issue 19): where am I in the list, the words and the
 * numbers, at a laptop's width and a phone's, in both themes. Read-only.
 */

const n = (x: number) => x.toLocaleString("en");

for (const viewport of VIEWPORTS) {
  for (const theme of THEMES) {
    test.describe(`${viewport.name}, ${theme} theme`, () => {
      test("the pager says which rows these are, and a shared link says the same", async ({
        browser,
      }) => {
        const page = await themedPage(browser, theme, "admin", viewport);
        await page.goto("/users?tab=active");
        await expectTheme(page, theme);
        const total = await tabCount(page, "active");
        expect(total).toBeGreaterThan(50);
        const pager = page.getByRole("navigation", { name: "Pagination" });
        await expect(pager).toContainText(`1–25 of ${n(total)}`);

        await pager.getByRole("link", { name: "Next page" }).click();
        await expect(page).toHaveURL(/[?&]cursor=/);
        await expect(pager).toContainText(`26–50 of ${n(total)}`);
        await expectAccessible(page, "the second page of Active");

        // The position travels in the URL: a reload (or a colleague) sees the same words.
        await page.reload();
        await expect(pager).toContainText(`26–50 of ${n(total)}`);
        await pager.getByRole("link", { name: "Next page" }).click();
        await expect(pager).toContainText(`51–75 of ${n(total)}`);
        await pager.getByRole("link", { name: "Previous page" }).click();
        await expect(pager).toContainText(`26–50 of ${n(total)}`);

        // Last is the last full page, read backwards from the end: "97–121 of 121".
        await pager.getByRole("link", { name: "Last page" }).click();
        await expect(pager).toContainText(`${n(total - 24)}–${n(total)} of ${n(total)}`);
        await pager.getByRole("link", { name: "Previous page" }).click();
        await expect(pager).toContainText(`${n(total - 49)}–${n(total - 25)} of ${n(total)}`);
        await page.context().close();
      });

      test("every status tab is in sight at once, and arrow keys still move between them", async ({
        browser,
      }) => {
        const page = await themedPage(browser, theme, "admin", viewport);
        await page.goto("/users?tab=active");
        const tabs = page.getByRole("tablist", { name: "User status" }).getByRole("tab");
        await expect(tabs).toHaveCount(5);
        for (const tab of await tabs.all()) {
          const box = await tab.boundingBox();
          expect(box, "a tab has a box").not.toBeNull();
          // Inside the screen as it is, without scrolling the list sideways.
          expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= viewport.width).toBe(
            true,
          );
        }
        await tabs.first().focus();
        for (const name of ["Pending", "Inactive", "Archived", "Rejected"]) {
          await page.keyboard.press("ArrowRight");
          await expect(page.getByRole("tab", { name: new RegExp(`^${name} `) })).toBeFocused();
        }
        await expectAccessible(page, "the status tabs");
        await page.context().close();
      });

      test("an audit event answers who, what moved and why, on a phone too", async ({
        browser,
      }) => {
        const page = await themedPage(browser, theme, "admin", viewport);
        await page.goto("/audit?action=deactivate");
        const rows = page
          .getByRole("table")
          .getByRole("row")
          .filter({ has: page.getByRole("cell") });
        await expect(rows.first()).toBeVisible();
        // Columns: time, actor, action, target, status, records moved, reason.
        const first = rows.first().getByRole("cell");
        await expect(first.nth(1)).toBeVisible();
        await expect(first.nth(1)).toContainText(/\w/);
        // A demo event whose reason no other spec can push off the first page.
        await page.goto("/audit?action=deactivate&target=inactive%40roster.test");
        // A phone's card leaves out an empty "Records moved": find the reason's cell by its text.
        const reason = rows
          .filter({ hasText: "Demo data" })
          .first()
          .getByRole("cell")
          .filter({ hasText: "Demo data" });
        await expect(reason).toBeVisible();
        await expect(reason).toContainText("Demo data");
        // Records moved: an archive that moved some shows them wherever it is listed.
        // (A CSS locator: on a phone a card leaves its empty cells out of the accessibility
        // tree, so the n-th cell by role is not the same column in every row.)
        await page.goto("/audit?action=archive");
        await expect(rows.first()).toBeVisible();
        const moved = page
          .getByRole("table")
          .locator("td")
          .filter({ hasText: /\b\d+ (projects?|automations?)\b/ });
        // (The demo has none: in the suite, archive.spec's archives with a transfer are here.)
        for (const cell of await moved.all()) await expect(cell).toBeVisible();
        await expectAccessible(page, "audit events");
        await page.context().close();
      });

      test("the reason counts its characters and refuses too many, out loud, never cutting", async ({
        browser,
      }) => {
        const page = await themedPage(browser, theme, "admin", viewport);
        await openUsers(page, "active", "Grace Anders");
        await rowAction(page, "Grace Anders", "Deactivate");
        const dialog = page.getByRole("alertdialog");
        const reason = dialog.getByLabel("Reason");
        await expect(dialog).toContainText("0 / 500");
        await reason.click();
        // As a paste would: 600 characters at once.
        await page.keyboard.insertText("x".repeat(600));
        await expect(reason).toHaveValue("x".repeat(600));
        await expect(dialog).toContainText("600 / 500");
        await expect(dialog.getByRole("alert")).toContainText(
          "Keep the reason to 500 characters: 100 too many.",
        );
        await expect(dialog.getByRole("button", { name: /^Deactivate/ })).toBeDisabled();
        await expectAccessible(page, "a reason that is too long");
        await reason.press("ControlOrMeta+a");
        await page.keyboard.insertText("Left the company");
        await expect(dialog.getByRole("alert")).toHaveCount(0);
        await expect(dialog.getByRole("button", { name: /^Deactivate/ })).toBeEnabled();
        await dialog.getByRole("button", { name: "Cancel" }).click();
        await page.context().close();
      });
    });
  }
}
