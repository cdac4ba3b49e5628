import type { Page } from "@playwright/test";
import { type DemoRole, expect, openUsers, pageAs, signIn, test, type UsersTab } from "./fixtures";

type Case = { tab: UsersTab; name: string };
const ACTIVE: Case = { tab: "active", name: "Grace Anders" };
const PENDING: Case = { tab: "pending", name: "Priya Eriksen" };
const INACTIVE: Case = { tab: "inactive", name: "Jonas Fischer" };
const ARCHIVED: Case = { tab: "archived", name: "Yara Fischer" };
const INVITED: Case = { tab: "active", name: "Zoe Dubois" };
const REJECTED: Case = { tab: "rejected", name: "Noah Garcia" };
const ADMIN: Case = { tab: "active", name: "Adam Admin" };
const OWNER: Case = { tab: "active", name: "Olivia Owner" };

/** Exactly the verbs each role's row menu offers (empty: the menu button is disabled). */
const MATRIX: Record<Exclude<DemoRole, "member">, [Case, string[]][]> = {
  owner: [
    [
      ACTIVE,
      [
        "Send password reset",
        "Change role",
        "Deactivate",
        "Suspend until…",
        "Schedule deactivation…",
        "Archive",
        "Delete permanently",
      ],
    ],
    [
      ADMIN,
      [
        "Send password reset",
        "Change role",
        "Deactivate",
        "Suspend until…",
        "Schedule deactivation…",
        "Archive",
        "Delete permanently",
      ],
    ],
    [OWNER, []],
  ],
  admin: [
    [
      ACTIVE,
      [
        "Send password reset",
        "Change role",
        "Deactivate",
        "Suspend until…",
        "Schedule deactivation…",
        "Archive",
        "Delete permanently",
      ],
    ],
    [PENDING, ["Approve", "Archive", "Reject", "Delete permanently"]],
    [INACTIVE, ["Reactivate", "Re-invite", "Change role", "Archive", "Delete permanently"]],
    [ARCHIVED, ["Restore", "Delete permanently"]],
    [
      INVITED,
      [
        "Re-invite",
        "Change role",
        "Deactivate",
        "Suspend until…",
        "Schedule deactivation…",
        "Archive",
        "Delete permanently",
      ],
    ],
    [REJECTED, ["Approve", "Delete permanently"]],
    [ADMIN, []],
    [OWNER, []],
  ],
  manager: [
    [ACTIVE, []],
    [PENDING, ["Approve", "Reject"]],
    [INACTIVE, []],
    [ARCHIVED, []],
    [INVITED, []],
    [REJECTED, ["Approve"]],
  ],
  support: [
    [ACTIVE, ["Send password reset"]],
    [PENDING, []],
    [INACTIVE, ["Reactivate", "Re-invite"]],
    [ARCHIVED, ["Restore"]],
    [INVITED, ["Re-invite"]],
    [REJECTED, []],
  ],
};

async function expectMenu(page: Page, { tab, name }: Case, verbs: string[]) {
  await openUsers(page, tab, name);
  const button = page.getByRole("button", { name: `Actions for ${name}` });
  if (verbs.length === 0) {
    await expect(button).toBeDisabled();
    return;
  }
  await button.click();
  await expect(page.getByRole("menuitem")).toHaveText(verbs);
  await page.keyboard.press("Escape");
  await expect(page.getByRole("menu")).toBeHidden();
}

for (const [role, cases] of Object.entries(MATRIX) as [DemoRole, [Case, string[]][]][]) {
  test(`${role}: each row menu offers exactly what the role may do`, async ({ browser }) => {
    const page = await pageAs(browser, role);
    for (const [target, verbs] of cases) {
      await test.step(`${target.name} (${target.tab})`, () => expectMenu(page, target, verbs));
    }
    await page.context().close();
  });
}

test("manager: the bulk bar offers approve and reject, never archive, deactivate or delete", async ({
  browser,
}) => {
  const page = await pageAs(browser, "manager");
  await openUsers(page, "pending");
  await page.getByRole("checkbox", { name: "Select all on this page" }).check();
  await expect(page.getByRole("group", { name: "Bulk actions" }).getByRole("button")).toHaveText([
    "Approve",
    "Reject",
  ]);
  await page.context().close();
});

test("support: the bulk bar on Archived offers Restore only", async ({ browser }) => {
  const page = await pageAs(browser, "support");
  await openUsers(page, "archived", ARCHIVED.name);
  await page.getByRole("checkbox", { name: `Select ${ARCHIVED.name}` }).check();
  await expect(page.getByRole("group", { name: "Bulk actions" }).getByRole("button")).toHaveText([
    "Restore",
  ]);
  await page.context().close();
});

test("member: no console at all", async ({ browser }) => {
  const page = await browser.newPage();
  await signIn(page, "member@roster.test");
  await expect(
    page.getByRole("heading", { name: "You don't have access to the admin console" }),
  ).toBeVisible();
  await expect(page.getByRole("button", { name: /^Actions for / })).toHaveCount(0);
  await expect(page.getByRole("checkbox")).toHaveCount(0);
  await page.close();
});
