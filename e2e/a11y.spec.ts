import type { Locator, Page } from "@playwright/test";
import { expectAccessible, expectTheme, THEMES, themedPage } from "./axe";
import { expect, test } from "./fixtures";

// Read-only: every dialog opened here is cancelled, never confirmed.

/** The dialog the flow shows: a confirmation (alertdialog) or the ownership transfer (dialog). */
function openDialog(page: Page): Locator {
  return page.getByRole("alertdialog").or(page.getByRole("dialog"));
}

for (const theme of THEMES) {
  test.describe(`accessibility, ${theme} theme`, () => {
    test("sign-in page", async ({ browser }) => {
      const page = await themedPage(browser, theme);
      await page.goto("/sign-in");
      await expectTheme(page, theme);
      await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
      await expectAccessible(page, "sign-in");
      // With the refusal message shown.
      await page.goto("/sign-in?reason=deactivated");
      await expectAccessible(page, "sign-in with a message");
      await page.goto("/sign-in?reason=accepted");
      await expectAccessible(page, "sign-in with a success message");
      await page.context().close();
    });

    test("the pages for people signed out, also at 390 px", async ({ browser }) => {
      const page = await themedPage(browser, theme);
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 844 });
        await page.goto("/forgot-password");
        await expectTheme(page, theme);
        await expect(page.getByRole("button", { name: "Send reset link" })).toBeVisible();
        await expectAccessible(page, `/forgot-password at ${width} px`);
        await page.goto(`/reset-password/${"x".repeat(43)}`);
        await expect(page.getByRole("heading", { name: "Reset link not found" })).toBeVisible();
        await expectAccessible(page, `an unknown reset link at ${width} px`);
        await page.goto("/request-access");
        await expect(page.getByRole("button", { name: "Request access" })).toBeVisible();
        await expectAccessible(page, `/request-access at ${width} px`);
      }
      await page.goto("/sign-in?reason=password-reset");
      await expectAccessible(page, "sign-in after a password reset");
      // The answers, with their messages (nobody's address: nothing is created or sent).
      await page.goto("/request-access");
      await page.getByRole("button", { name: "Request access" }).click();
      await expect(page.getByText("Enter your name.")).toBeVisible();
      await expectAccessible(page, "/request-access with errors");
      await page.context().close();
    });

    test("users tabs, user detail, audit log and mailbox", async ({ browser }) => {
      // Thirteen page views, each checked by axe: over a minute on a loaded 2-core machine.
      test.setTimeout(180_000);
      const page = await themedPage(browser, theme, "admin");
      await expectTheme(page, theme);
      for (const tab of ["active", "pending", "inactive", "archived", "rejected"]) {
        await page.goto(`/users?tab=${tab}`);
        await expect(page.getByRole("tab", { selected: true })).toBeVisible();
        await expectAccessible(page, `/users?tab=${tab}`);
      }
      await page.goto("/users?q=zzzz-nobody");
      await expectAccessible(page, "an empty users view");

      await page.goto("/users?q=Dora+Departing");
      await page.getByRole("link", { name: "Dora Departing", exact: true }).click();
      await expect(page.getByRole("heading", { name: "Owned records" })).toBeVisible();
      await expectAccessible(page, "user detail (Dora Departing)");

      await page.goto("/users?tab=archived&q=Arthur+Archived");
      await page.getByRole("link", { name: "Arthur Archived", exact: true }).click();
      await expect(page.getByRole("heading", { name: "History" })).toBeVisible();
      await expectAccessible(page, "user detail (Arthur Archived)");

      await page.goto("/users/00000000-0000-4000-8000-000000000000");
      await expect(page.getByRole("heading", { name: "User not found" })).toBeVisible();
      await expectAccessible(page, "user not found");

      await page.goto("/audit");
      await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
      await expectAccessible(page, "/audit");
      await page.goto("/audit?action=archive&from=2000-01-01&to=1999-01-01");
      await expectAccessible(page, "/audit with no results");

      await page.goto("/mailbox");
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expectAccessible(page, "/mailbox");
      await page.context().close();
    });

    test("the three tables as cards at 390 px", async ({ browser }) => {
      test.setTimeout(180_000);
      const page = await themedPage(browser, theme, "admin");
      await page.setViewportSize({ width: 390, height: 844 });
      for (const path of ["/users", "/users?tab=archived", "/audit", "/mailbox"]) {
        await page.goto(path);
        await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
        await expectAccessible(page, `${path} at 390 px`);
      }
      await page.context().close();
    });

    test("the role filter menu", async ({ browser }) => {
      const page = await themedPage(browser, theme, "manager");
      await page.getByRole("button", { name: /^Role/ }).click();
      await expect(page.getByRole("menuitemcheckbox", { name: "Admin" })).toBeVisible();
      await expectAccessible(page, "the role filter menu");
      await page.context().close();
    });

    test("the no-access page", async ({ browser }) => {
      const page = await themedPage(browser, theme, "member");
      await expect(
        page.getByRole("heading", { name: "You don't have access to the admin console" }),
      ).toBeVisible();
      await expectAccessible(page, "no access");
      await page.context().close();
    });

    test("every dialog the row menus open", async ({ browser }) => {
      test.setTimeout(300_000);
      const page = await themedPage(browser, theme, "admin");
      const seen = new Set<string>();
      // One row per tab, so that every action (and the ownership transfer) gets its dialog.
      const rows: [string, string][] = [
        ["active", "Dora Departing"],
        ["inactive", "Ines Inactive"],
        ["pending", ""],
        ["archived", "Arthur Archived"],
        ["rejected", ""],
      ];
      for (const [tab, name] of rows) {
        await page.goto(`/users?tab=${tab}${name ? `&q=${encodeURIComponent(name)}` : ""}`);
        // The table streams in after the page: count the rows' menus once it has.
        await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
        const menus = page.getByRole("button", { name: /^Actions for / });
        await expect(menus.first(), `a row on the ${tab} tab`).toBeVisible();
        const trigger = menus.first();
        await trigger.click();
        // The menu's code loads on its first opening: read the items once it shows.
        await expect(page.getByRole("menu")).toBeVisible();
        const items = await page.getByRole("menuitem").allTextContents();
        expect(items.length, `actions on the ${tab} tab`).toBeGreaterThan(0);
        await expectAccessible(page, `row menu on the ${tab} tab`);
        await page.keyboard.press("Escape");
        for (const item of items) {
          await trigger.click();
          await page.getByRole("menuitem", { name: item }).click();
          // Wait for the server's preview: then the flow shows the confirmation, or, when someone
          // owns records, "Transfer ownership" in its place.
          await expect(openDialog(page).first()).toBeVisible();
          await expect(page.getByRole("status", { name: "Checking who this affects" })).toHaveCount(
            0,
          );
          const transfer = page.getByRole("dialog", { name: "Transfer ownership" });
          const kind = (await transfer.count()) > 0 ? "transfer" : item;
          const shown = kind === "transfer" ? transfer : page.getByRole("alertdialog");
          await expect(shown).toBeVisible();
          await page.waitForLoadState("networkidle");
          await expectAccessible(page, `the ${kind} dialog (${tab} tab, ${item})`);
          seen.add(kind);
          await shown.getByRole("button", { name: "Cancel" }).click();
          await expect(openDialog(page)).toHaveCount(0);
        }
      }
      // Every kind of dialog was looked at.
      for (const kind of [
        "transfer",
        "Deactivate",
        "Reactivate",
        "Re-invite",
        "Restore",
        "Approve",
        "Reject",
        "Delete permanently",
      ]) {
        expect([...seen], `a ${kind} dialog was checked`).toContain(kind);
      }
      await page.context().close();
    });
  });
}
