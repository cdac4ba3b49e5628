import { mkdir, stat } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "@playwright/test";
import { type DemoRole, expect, signIn, test } from "./fixtures";

/*
 * Pictures of the main screens, for the README. Read-only: dialogs are opened and cancelled.
 * By default they go to this test's output folder (so a test run leaves the tree clean);
 * `SCREENSHOTS_DIR=docs/screenshots npx playwright test e2e/screenshots.spec.ts` refreshes the
 * committed ones.
 */

const DESKTOP = { width: 1280, height: 800 };
const MOBILE = { width: 390, height: 844 };

async function open(
  browser: Browser,
  options: { role?: DemoRole; theme?: "light" | "dark"; viewport?: typeof DESKTOP } = {},
): Promise<Page> {
  const theme = options.theme ?? "light";
  const context = await browser.newContext({
    viewport: options.viewport ?? DESKTOP,
    colorScheme: theme,
    deviceScaleFactor: 1,
  });
  await context.addInitScript((t) => localStorage.setItem("roster-theme", t), theme);
  const page = await context.newPage();
  if (options.role) {
    await signIn(page, `${options.role}@roster.test`);
    await page.waitForURL("**/users");
  }
  return page;
}

test.describe("screenshots", () => {
  test.setTimeout(240_000);

  test("of every main screen", async ({ browser }, testInfo) => {
    const dir = process.env.SCREENSHOTS_DIR
      ? path.resolve(process.env.SCREENSHOTS_DIR)
      : testInfo.outputPath("screenshots");
    await mkdir(dir, { recursive: true });
    const written: string[] = [];
    const shoot = async (page: Page, name: string, fullPage = false) => {
      // No blinking caret or running animation in the pictures.
      await page.addStyleTag({
        content: "*{caret-color:transparent!important;animation:none!important}",
      });
      const file = path.join(dir, `${name}.png`);
      await page.screenshot({ path: file, fullPage });
      written.push(file);
    };

    const visitor = await open(browser);
    await visitor.goto("/sign-in");
    await expect(visitor.getByRole("button", { name: "Sign in" })).toBeVisible();
    await shoot(visitor, "sign-in");
    await visitor.context().close();

    const admin = await open(browser, { role: "admin" });
    await expect(admin.getByRole("tab", { name: /^Active \d+$/ })).toBeVisible();
    await shoot(admin, "users-active");

    await admin.goto("/users?tab=archived");
    await expect(admin.getByRole("tab", { name: /^Archived \d+$/ })).toHaveAttribute(
      "aria-selected",
      "true",
    );
    await shoot(admin, "users-archived");

    // A confirmation: permanent delete of a pending user (pending users own nothing).
    await admin.goto("/users?tab=pending");
    await admin
      .getByRole("button", { name: /^Actions for / })
      .first()
      .click();
    await admin.getByRole("menuitem", { name: "Delete permanently" }).click();
    const confirm = admin.getByRole("alertdialog");
    await expect(confirm.getByLabel("Type DELETE to confirm")).toBeVisible();
    await admin.waitForLoadState("networkidle");
    await shoot(admin, "confirm-delete");
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await expect(confirm).toHaveCount(0);

    await admin.goto("/audit");
    await expect(admin.getByRole("heading", { name: "Audit log" })).toBeVisible();
    await shoot(admin, "audit-log");

    await admin.goto("/users?q=Dora+Departing&tab=active");
    const dora = admin.getByRole("link", { name: "Dora Departing", exact: true });
    await expect(admin.locator('[aria-busy="true"]')).toHaveCount(0);
    if ((await dora.count()) === 0) await admin.goto("/users?q=Dora+Departing&tab=archived");
    await dora.click();
    await expect(admin.getByRole("heading", { name: "Owned records" })).toBeVisible();
    await shoot(admin, "user-detail", true);

    await admin.goto("/users?tab=archived&q=Arthur+Archived");
    await admin.getByRole("link", { name: "Arthur Archived", exact: true }).click();
    await expect(admin.getByRole("heading", { name: "History" })).toBeVisible();
    await shoot(admin, "user-history", true);
    await admin.context().close();

    // Ownership transfer: the owner archiving someone who owns records (the first such row).
    const owner = await open(browser, { role: "owner" });
    await owner.goto("/users?size=100");
    const rows = owner.getByRole("row").filter({ has: owner.getByRole("checkbox") });
    const owning = rows.filter({
      has: owner.getByRole("cell").filter({ hasText: /^[1-9]\d*$/ }),
    });
    const target = owning.filter({ hasNot: owner.getByText("Olivia Owner") }).first();
    await target.getByRole("button", { name: /^Actions for / }).click();
    await owner.getByRole("menuitem", { name: "Archive" }).click();
    const transfer = owner.getByRole("dialog", { name: "Transfer ownership" });
    await expect(transfer).toBeVisible();
    await owner.waitForLoadState("networkidle");
    await shoot(owner, "transfer-ownership");
    await transfer.getByRole("button", { name: "Cancel" }).click();
    await expect(transfer).toHaveCount(0);
    await owner.context().close();

    const dark = await open(browser, { role: "admin", theme: "dark" });
    await expect(dark.locator("html")).toHaveClass(/\bdark\b/);
    await shoot(dark, "users-dark");
    await dark.goto("/audit");
    await expect(dark.getByRole("heading", { name: "Audit log" })).toBeVisible();
    await shoot(dark, "audit-log-dark");
    await dark.context().close();

    const mobile = await open(browser, { role: "admin", viewport: MOBILE });
    await expect(mobile.getByRole("tab", { name: /^Active \d+$/ })).toBeVisible();
    await shoot(mobile, "users-mobile");
    await mobile.goto("/audit");
    await expect(mobile.getByRole("heading", { name: "Audit log" })).toBeVisible();
    await shoot(mobile, "audit-log-mobile");
    await mobile.context().close();

    expect(written).toHaveLength(12);
    for (const file of written) {
      const { size } = await stat(file);
      expect(size, file).toBeGreaterThan(5_000);
    }
  });
});
