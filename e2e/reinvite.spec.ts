import { expect, openUsers, rowAction, signIn, test, toastWith, userRow } from "./fixtures";

const NAME = "Liam Dubois";
const EMAIL = "liam.dubois.101@roster.test";
const PASSWORD = "a-new-password-1";

test("re-inviting an invited user sends a link they accept, and they become active", async ({
  browser,
  adminPage: page,
}) => {
  await openUsers(page, "active", NAME);
  await expect(userRow(page, NAME)).toContainText("Invited");
  await rowAction(page, NAME, "Re-invite");
  const confirm = page.getByRole("alertdialog", { name: `Re-invite ${NAME}?` });
  await expect(confirm).toContainText("single-use link");
  await expect(confirm).toContainText("1 user will be re-invited");
  await confirm.getByRole("button", { name: "Re-invite", exact: true }).click();
  await expect(toastWith(page, "Re-invited 1 user.")).toBeVisible();
  // Re-inviting changes nothing until they accept.
  await expect(userRow(page, NAME)).toContainText("Invited");

  await page.goto(`/mailbox?to=${encodeURIComponent(EMAIL)}`);
  const email = page.getByRole("article").filter({ hasText: "Invitation" }).first();
  await expect(email).toContainText(EMAIL);
  const href = await email
    .getByRole("link", { name: /\/invite\// })
    .first()
    .getAttribute("href");
  expect(href).toBeTruthy();
  const path = new URL(href ?? "", "http://placeholder").pathname;

  const context = await browser.newContext();
  const invitee = await context.newPage();
  await invitee.goto(path);
  await expect(invitee.getByRole("heading", { name: "Set your password" })).toBeVisible();
  await invitee.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await invitee.getByLabel("Confirm password").fill(PASSWORD);
  await invitee.getByRole("button", { name: "Accept invitation" }).click();
  await expect(invitee).toHaveURL(/\/sign-in/);
  // The address they just saw is already filled in: only the new password is left to type.
  await expect(invitee.getByLabel("Email")).toHaveValue(EMAIL);
  await signIn(invitee, EMAIL, PASSWORD);
  // A member: signed in, but the console is not for them.
  await expect(
    invitee.getByRole("heading", { name: "You don't have access to the admin console" }),
  ).toBeVisible();
  await context.close();

  await openUsers(page, "active", NAME);
  await expect(userRow(page, NAME)).toContainText("Active");
  await expect(userRow(page, NAME)).not.toContainText("Invited");
});
