import { expectAccessible, expectTheme, THEMES, themedPage, VIEWPORTS } from "./axe";
import { expect, openUsers, pageAs, signIn, tabCount, test, toastWith, userRow } from "./fixtures";
import { callAction, serverActions } from "./server-actions";

/*
 * Invite people (issue 16 §1). Adds two invited users (one of whom accepts and becomes an active
 * support) to the demo workspace: two seats. member@roster.test is only read (already a user).
 */
const IVY = { name: "Ivy Newcomer", email: "ivy.newcomer@example.test" };
const IVO = "ivo.newcomer@example.test";
const KNOWN = "member@roster.test";
const PASSWORD = "a-new-password-1";

test("an admin invites three people (one already a user: skipped, with a link); one accepts from the mailbox and signs in", async ({
  browser,
  adminPage: page,
}) => {
  await openUsers(page, "active");
  const before = await tabCount(page, "active");
  await page.getByRole("button", { name: "Invite people" }).click();
  const dialog = page.getByRole("dialog", { name: "Invite people" });
  await dialog.getByLabel("Email addresses").fill(`${IVY.name} <${IVY.email}>, ${IVO}\n${KNOWN}`);
  await expect(dialog.getByLabel("Role")).toHaveValue("member");
  await dialog.getByLabel("Role").selectOption({ label: "Support" });

  const invited = dialog.getByRole("list", { name: "Will be invited" }).getByRole("listitem");
  await expect(invited).toHaveText([`${IVY.name} ${IVY.email}`, `Ivo Newcomer ${IVO}`]);
  const skipped = dialog.getByRole("list", { name: "Skipped" });
  await expect(skipped).toContainText(`${KNOWN}: Already a user, on the Active tab.`);
  await expect(skipped.getByRole("link", { name: KNOWN })).toHaveAttribute(
    "href",
    /^\/users\/[0-9a-f-]{36}$/,
  );
  await expect(dialog).toContainText("2 people will be invited, 1 skipped");
  await dialog.getByRole("button", { name: "Invite", exact: true }).click();
  await expect(toastWith(page, "Invited 2 people; 1 address skipped.")).toBeVisible();
  await expect(dialog).toBeHidden();
  await expect.poll(() => tabCount(page, "active")).toBe(before + 2);
  await openUsers(page, "active", IVY.name);
  await expect(userRow(page, IVY.name)).toContainText("Invited");
  await expect(userRow(page, IVY.name)).toContainText(/support/i);

  await page.goto(`/mailbox?to=${encodeURIComponent(IVY.email)}`);
  const email = page.getByRole("article").filter({ hasText: "Invitation" }).first();
  await expect(email).toContainText(IVY.email);
  const href = await email
    .getByRole("link", { name: /\/invite\// })
    .first()
    .getAttribute("href");
  const path = new URL(href ?? "", "http://placeholder").pathname;

  const context = await browser.newContext();
  const invitee = await context.newPage();
  await invitee.goto(path);
  await expect(invitee.getByRole("heading", { name: "Set your password" })).toBeVisible();
  await invitee.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await invitee.getByLabel("Confirm password").fill(PASSWORD);
  await invitee.getByRole("button", { name: "Accept invitation" }).click();
  await expect(invitee).toHaveURL(/\/sign-in/);
  await expect(invitee.getByLabel("Email")).toHaveValue(IVY.email);
  await signIn(invitee, IVY.email, PASSWORD);
  // A support: the console is theirs, and so is inviting members (below their rank).
  await expect(invitee.getByRole("heading", { name: "Users" })).toBeVisible();
  await invitee.getByRole("button", { name: "Invite people" }).click();
  const theirs = invitee.getByRole("dialog", { name: "Invite people" });
  await expect(theirs.getByLabel("Role").getByRole("option")).toHaveText(["Member"]);
  await context.close();

  await openUsers(page, "active", IVY.name);
  await expect(userRow(page, IVY.name)).not.toContainText("Invited");
});

for (const theme of THEMES) {
  for (const viewport of VIEWPORTS) {
    test(`the invite dialog at ${viewport.name}, ${theme}: by keyboard, axe clean, nothing changed`, async ({
      browser,
    }) => {
      const page = await themedPage(browser, theme, "admin", viewport);
      await expectTheme(page, theme);
      const button = page.getByRole("button", { name: "Invite people" });
      await button.focus();
      await page.keyboard.press("Enter");
      const dialog = page.getByRole("dialog", { name: "Invite people" });
      const field = dialog.getByLabel("Email addresses");
      await expect(field).toBeFocused();
      await page.keyboard.type(`someone.new@example.test, ${KNOWN}; not-an-address`);
      await page.keyboard.press("Tab");
      await expect(dialog.getByLabel("Role")).toBeFocused();
      await expect(dialog.getByRole("list", { name: "Skipped" }).getByRole("listitem")).toHaveCount(
        2,
      );
      await expect(dialog.getByRole("button", { name: "Invite", exact: true })).toBeEnabled();
      const box = await dialog.boundingBox();
      expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= viewport.width).toBe(true);
      await expectAccessible(page, `the invite dialog (${viewport.name}, ${theme})`);
      await page.keyboard.press("Escape");
      await expect(dialog).toBeHidden();
      await expect(button).toBeFocused();
      await page.context().close();
    });
  }
}

test("who may not invite sees no button, and the server action refuses them over HTTP", async ({
  browser,
}) => {
  const manager = await pageAs(browser, "manager");
  await openUsers(manager, "active");
  await expect(manager.getByRole("heading", { name: "Users" })).toBeVisible();
  await expect(manager.getByRole("button", { name: "Invite people" })).toHaveCount(0);

  const action = serverActions().find((a) => a.name === "newUsersAction");
  if (!action) throw new Error("newUsersAction is not in the build");
  const probe = "http.probe@example.test";
  const body = JSON.stringify([{ action: "invite", options: { emails: probe, role: "member" } }]);
  const refused = await callAction(manager.request, { ...action, url: "/users" }, body);
  expect(refused.status()).toBe(200);
  expect(await refused.text()).toContain("You don't have permission to invite people.");

  // Support may invite, but only below their rank.
  const support = await pageAs(browser, "support");
  const higher = JSON.stringify([
    { action: "invite", options: { emails: probe, role: "manager" } },
  ]);
  const ranked = await callAction(support.request, { ...action, url: "/users" }, higher);
  expect(await ranked.text()).toContain("Choose a role below your own.");

  const admin = await pageAs(browser, "admin");
  await openUsers(admin, "active", probe);
  await expect(admin.getByText("No users match this view")).toBeVisible();
  for (const p of [manager, support, admin]) await p.context().close();
});
