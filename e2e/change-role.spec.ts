import { expectAccessible, expectTheme, THEMES, themedPage, VIEWPORTS } from "./axe";
import { expect, openUsers, rowAction, signIn, test, toastWith, userRow } from "./fixtures";

/*
 * Change role (issue 16 §4): an admin makes a member a manager from the row menu, then a member
 * again from their page. The person, signed in all along in a browser of their own, gets the
 * console at their next request, and loses it at the next one after. One active member without
 * records per width and theme, each a member again at the end.
 */
const PEOPLE: Record<string, Record<string, [name: string, email: string]>> = {
  "1280 px": {
    light: ["Wen Anders", "wen.anders.21@roster.test"],
    dark: ["Wen Costa", "wen.costa.81@roster.test"],
  },
  "390 px": {
    light: ["Xavier Anders", "xavier.anders.22@roster.test"],
    dark: ["Xavier Costa", "xavier.costa.82@roster.test"],
  },
};

const NO_CONSOLE = "You don't have access to the admin console";

for (const viewport of VIEWPORTS) {
  for (const theme of THEMES) {
    test(`${viewport.name}, ${theme} theme: an admin changes a member's role, and their console follows at their next request`, async ({
      browser,
    }) => {
      const [name, email] = PEOPLE[viewport.name]?.[theme] ?? ["", ""];
      const admin = await themedPage(browser, theme, "admin", viewport);
      const them = await themedPage(browser, theme, undefined, viewport);
      await signIn(them, email);
      await expect(them.getByRole("heading", { name: NO_CONSOLE })).toBeVisible();

      await openUsers(admin, "active", name);
      await expectTheme(admin, theme);
      // The bulk bar offers it too.
      await admin.getByRole("checkbox", { name: `Select ${name}` }).check();
      const bulk = admin.getByRole("group", { name: "Bulk actions" });
      await expect(bulk.getByRole("button", { name: "Change role", exact: true })).toBeVisible();
      await admin.getByRole("checkbox", { name: `Select ${name}` }).uncheck();

      await rowAction(admin, name, "Change role");
      const dialog = admin.getByRole("alertdialog", { name: `Change the role of ${name}?` });
      const newRole = dialog.getByRole("combobox", { name: "New role" });
      // Only the roles below an admin's own.
      await expect(newRole.getByRole("option")).toHaveText([
        "Choose a role",
        "Manager",
        "Support",
        "Member",
      ]);
      const confirm = dialog.getByRole("button", { name: "Change role", exact: true });
      await expect(confirm).toBeDisabled();
      // The role they have: the preview says so, and there is nothing to confirm.
      await newRole.selectOption("member");
      await expect(dialog).toContainText("Already has that role.");
      await expect(confirm).toBeDisabled();
      await newRole.selectOption("manager");
      await expect(dialog).toContainText("1 user will be given a new role");
      await expect(confirm).toBeEnabled();
      await expectAccessible(admin, "the Change role dialog");
      await confirm.click();
      await expect(toastWith(admin, "Given a new role: 1 user.")).toBeVisible();
      // A phone's card leaves the role out: the user's page says it below.
      if (viewport.width >= 1280) await expect(userRow(admin, name)).toContainText("manager");

      // Their next request: the console, as a manager has it.
      await them.reload();
      await expect(them.getByRole("tablist", { name: "User status" })).toBeVisible();
      await expect(them.getByRole("heading", { name: NO_CONSOLE })).toHaveCount(0);
      await expectAccessible(them, "the console of the new manager");

      // From their page, back to member; the history says from what to what.
      await admin.getByRole("link", { name, exact: true }).click();
      await expect(admin.getByRole("heading", { level: 1 })).toContainText(name);
      await admin.getByRole("button", { name: `Actions for ${name}` }).click();
      await admin.getByRole("menuitem", { name: "Change role", exact: true }).click();
      await dialog.getByRole("combobox", { name: "New role" }).selectOption("member");
      await dialog.getByRole("button", { name: "Change role", exact: true }).click();
      // The first change's toast may still be up, so a toast alone doesn't say the second is
      // done: the dialog closes once it is.
      await expect(dialog).toBeHidden();
      await expect(toastWith(admin, "Given a new role: 1 user.").last()).toBeVisible();
      const history = admin.getByRole("listitem").filter({ hasText: "Role changed by" });
      await expect
        .poll(async () => {
          await admin.reload();
          return history.count();
        })
        .toBe(2);
      await expect(history.first()).toContainText(/Role:\s*Manager\s*→\s*to\s*Member/);
      await expect(history.last()).toContainText(/Role:\s*Member\s*→\s*to\s*Manager/);
      await expectAccessible(admin, "the user's page with role changes in the history");

      // And the next request after that: no console again.
      await them.reload();
      await expect(them.getByRole("heading", { name: NO_CONSOLE })).toBeVisible();
      await them.context().close();
      await admin.context().close();
    });
  }
}
