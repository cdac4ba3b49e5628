import { SIGN_IN_MESSAGES } from "../lib/sign-in-messages";
import {
  expect,
  openUsers,
  rowAction,
  signIn,
  signInAlert,
  test,
  toastWith,
  userRow,
} from "./fixtures";

/*
 * Acts on Wen Bauer (active, wen.bauer.51@), who resets a forgotten password, and Omar Bauer
 * (active, omar.bauer.44@), who is sent a reset by an admin. Neither's status changes.
 */
const EMAIL = "wen.bauer.51@roster.test";
const PASSWORD = "a-forgotten-one-1";

/** The newest reset link emailed to an address, as the development mailbox shows it. */
async function resetLink(page: import("@playwright/test").Page, to: string): Promise<string> {
  await page.goto(`/mailbox?to=${encodeURIComponent(to)}`);
  const email = page.getByRole("article").filter({ hasText: "Password reset" }).first();
  await expect(email).toContainText(to);
  const href = await email
    .getByRole("link", { name: /\/reset-password\// })
    .first()
    .getAttribute("href");
  return new URL(href ?? "", "http://placeholder").pathname;
}

test("a forgotten password is reset from the mailbox's link, by keyboard; other sessions end", async ({
  browser,
  adminPage,
}) => {
  const elsewhere = await browser.newContext();
  const old = await elsewhere.newPage();
  await signIn(old, EMAIL);
  await old.waitForURL("**/users");

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByRole("link", { name: "Forgot password?" }).click();
  // Typed once the page is live: a value typed before hydration can be lost.
  await page.waitForURL("**/forgot-password");
  await page.waitForLoadState("networkidle");
  await page.getByLabel("Email").fill(EMAIL);
  await expect(page.getByLabel("Email")).toHaveValue(EMAIL);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status")).toContainText("we've emailed it a link");

  await page.goto(await resetLink(adminPage, EMAIL));
  await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Confirm password").fill(PASSWORD);
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page).toHaveURL(/\/sign-in\?reason=password-reset/);
  await expect(page.getByRole("status")).toHaveText(SIGN_IN_MESSAGES["password-reset"]);
  await signIn(page, EMAIL, PASSWORD);
  await page.waitForURL("**/users");

  // The session opened with the old password has ended; the link works once.
  await old.goto("/users");
  await expect(old).toHaveURL(/\/sign-in\?reason=ended/);
  await expect(signInAlert(old)).toHaveText(SIGN_IN_MESSAGES.ended);
  await old.goto(await resetLink(adminPage, EMAIL));
  await expect(old.getByRole("heading", { name: "Reset link already used" })).toBeVisible();
  await elsewhere.close();
  await context.close();
});

test("an admin sends a password reset from the row menu: confirmed, emailed, audited", async ({
  adminPage: page,
}) => {
  const name = "Omar Bauer";
  await openUsers(page, "active", name);
  await rowAction(page, name, "Send password reset");
  const confirm = page.getByRole("alertdialog", { name: `Send a password reset to ${name}?` });
  await expect(confirm).toContainText("single-use link");
  await confirm.getByRole("button", { name: "Send password reset", exact: true }).click();
  await expect(toastWith(page, "Emailed a reset link: 1 user.")).toBeVisible();
  await expect(userRow(page, name)).toContainText("Active");
  expect(await resetLink(page, "omar.bauer.44@roster.test")).toMatch(/^\/reset-password\//);
  await page.goto("/audit?action=sendPasswordReset");
  await expect(page.getByRole("cell", { name: "Send password reset" }).first()).toBeVisible();
});
