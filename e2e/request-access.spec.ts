import type { Page } from "@playwright/test";
import { expect, openUsers, pageAs, rowAction, signIn, test, toastWith, userRow } from "./fixtures";

/* Creates its own user (Rhea Requester), who asks for access and is approved by the manager. */
const NAME = "Rhea Requester";
const EMAIL = "rhea.requester@roster.test";
const PASSWORD = "rhea-first-password";

async function linkIn(page: Page, to: string, kind: string): Promise<string> {
  await page.goto(`/mailbox?to=${encodeURIComponent(to)}`);
  const email = page.getByRole("article").filter({ hasText: kind }).first();
  await expect(email).toContainText(to);
  const href = await email
    .getByRole("link", { name: /\/reset-password\// })
    .first()
    .getAttribute("href");
  return new URL(href ?? "", "http://placeholder").pathname;
}

test("someone requests access, a manager approves them, and they set a password from the email", async ({
  browser,
  adminPage,
}) => {
  const context = await browser.newContext();
  const asker = await context.newPage();
  await asker.goto("/sign-in");
  await asker.getByRole("link", { name: "Request access" }).click();
  await asker.getByLabel("Name").fill(NAME);
  await asker.getByLabel("Email").fill(EMAIL);
  await asker.getByLabel("Message").fill("I joined the design team on Monday.");
  await asker.getByRole("button", { name: "Request access" }).click();
  await expect(asker.getByRole("status")).toContainText("review your request");

  // The admins' digest names the request.
  await adminPage.goto(`/mailbox?to=${encodeURIComponent("admin@roster.test")}`);
  await expect(
    adminPage.getByRole("article").filter({ hasText: "Access requests" }).first(),
  ).toContainText(EMAIL);

  const manager = await pageAs(browser, "manager");
  await openUsers(manager, "pending", NAME);
  await expect(userRow(manager, NAME)).toContainText("I joined the design team on Monday.");
  await rowAction(manager, NAME, "Approve");
  const confirm = manager.getByRole("alertdialog", { name: `Approve ${NAME}?` });
  await confirm.getByRole("button", { name: "Approve", exact: true }).click();
  await expect(toastWith(manager, "Approved 1 user.")).toBeVisible();
  await manager.context().close();

  await asker.goto(await linkIn(adminPage, EMAIL, "Access request approved"));
  await asker.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await asker.getByLabel("Confirm password").fill(PASSWORD);
  await asker.getByRole("button", { name: "Set new password" }).click();
  await expect(asker).toHaveURL(/\/sign-in\?reason=password-reset/);
  await signIn(asker, EMAIL, PASSWORD);
  await expect(
    asker.getByRole("heading", { name: "You don't have access to the admin console" }),
  ).toBeVisible();
  await context.close();
});
